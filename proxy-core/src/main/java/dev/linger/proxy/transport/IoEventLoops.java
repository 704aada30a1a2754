package dev.linger.proxy.transport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The proxy's I/O event loops: Netty's, except that a loop goes back to I/O after
 * {@value #TASK_QUANTUM_MILLIS} ms of queued tasks instead of Netty's default of a second. Timers are
 * tasks: when thousands of linger deadlines or idle timeouts fall due together, each reset they cost
 * would otherwise hold up every other session of the loop until the last one is done. Netty looks at
 * the clock every 64 tasks, so I/O waits at most 64 tasks; HAProxy likewise polls between batches of
 * 200.
 */
public final class IoEventLoops extends MultiThreadIoEventLoopGroup {

    static final long TASK_QUANTUM_MILLIS = 1;

    /** {@code threads} loops, each with its own I/O handler from {@code ioHandlerFactory}. */
    public IoEventLoops(int threads, ThreadFactory threadFactory, IoHandlerFactory ioHandlerFactory) {
        super(threads, threadFactory, ioHandlerFactory);
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        return new SingleThreadIoEventLoop(this, executor, ioHandlerFactory, Integer.MAX_VALUE,
                RejectedExecutionHandlers.reject(), TASK_QUANTUM_MILLIS);
    }
}
