package dev.linger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around a Netty 4.2.18 io_uring defect that stalls writes toward a peer that has sent its FIN.
 *
 * <p>When a write does not fit the socket's send buffer, Netty arms a one-shot {@code POLL_ADD} for POLLOUT and
 * writes nothing more until it completes. The kernel adds EPOLLRDHUP to every io_uring poll's mask, so once the
 * peer's FIN is in, that poll completes at once with POLLRDHUP alone if the buffer is still full. Netty tells its
 * polls apart by the bits of the result, not by which request completed: it takes the completion for its RDHUP
 * poll (and reads the EOF again), and the POLLOUT request is gone while Netty still believes it is armed. The
 * channel never writes again; the session waits for its linger deadline and is reset (about one upload in
 * five in {@code RelayIT}'s long upload after the upstream's FIN; the io_uring tracepoints show the POLLOUT
 * request completing with 0x2000).
 *
 * <p>Each such completion ends in a read completion on that very channel (the EOF read again), which is where
 * {@link #resumeStalledWrites} looks. A write is resumed after a short delay rather than at once: the buffer
 * was full a moment ago, and a new POLLOUT poll would be lost the same way, so an immediate retry would spin
 * the event loop. The delay starts at {@value #FIRST_RETRY_MICROS} µs, is kept while writes progress and doubles
 * up to {@value #MAX_RETRY_MILLIS} ms while they do not (a peer that reads nothing costs one write attempt per
 * {@value #MAX_RETRY_MILLIS} ms). Netty offers no public way to do this, hence the method handles to the
 * channel's {@code ioState} and its unsafe's {@code pollOut}; if they ever fail, the relay works as before and
 * it is logged.
 */
public final class IoUringHalfClosure {

    private static final Logger log = LoggerFactory.getLogger(IoUringHalfClosure.class);

    private static final long FIRST_RETRY_MICROS = 500;
    private static final long MAX_RETRY_MILLIS = 20;
    /** {@code AbstractIoUringChannel}'s ioState bits: a POLLOUT poll is armed, a write is in flight. */
    private static final int POLL_OUT_SCHEDULED = 1 << 2;
    private static final int WRITE_SCHEDULED = 1 << 4;
    /** Linux's POLLOUT, the result {@code pollOut} expects of the poll that was lost. */
    private static final int POLLOUT = 0x4;

    private static final AttributeKey<Retry> RETRY = AttributeKey.valueOf(IoUringHalfClosure.class, "retry");

    private IoUringHalfClosure() {
    }

    /** Whether the workaround reached Netty's internals (false means a Netty upgrade moved them). */
    static boolean available() {
        return Internals.IO_STATE != null && Internals.POLL_OUT != null;
    }

    /**
     * Call at each read completion of {@code channel}: if the peer's FIN is in and Netty waits for a POLLOUT
     * that was lost, writing resumes shortly. No-op off io_uring, and while the peer may still send.
     */
    public static void resumeStalledWrites(Channel channel) {
        if (channel instanceof IoUringSocketChannel uring && uring.isInputShutdown() && available()
                && waitsForLostPollOut(channel)) {
            Attribute<Retry> pending = channel.attr(RETRY);
            if (pending.get() == null) {
                Retry retry = new Retry(channel);
                pending.set(retry);
                retry.schedule(FIRST_RETRY_MICROS);
            }
        }
    }

    /** A POLLOUT poll is believed armed and no write is in flight: on a half-closed socket, the poll is lost. */
    private static boolean waitsForLostPollOut(Channel channel) {
        try {
            int state = (byte) Internals.IO_STATE.invokeExact(channel);
            return (state & (POLL_OUT_SCHEDULED | WRITE_SCHEDULED)) == POLL_OUT_SCHEDULED;
        } catch (Throwable e) {
            throw new IllegalStateException("reading io_uring state of " + channel, e);
        }
    }

    /** Resumes one channel's writes until its outbound buffer is empty or it closes. */
    private static final class Retry implements Runnable {
        private final Channel channel;
        private long delayMicros;
        private long pendingAtLastTry = -1;

        Retry(Channel channel) {
            this.channel = channel;
        }

        void schedule(long micros) {
            delayMicros = micros;
            channel.eventLoop().schedule(this, micros, TimeUnit.MICROSECONDS);
        }

        @Override
        public void run() {
            ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
            if (!channel.isOpen() || outbound == null || outbound.isEmpty()) {
                channel.attr(RETRY).set(null); // done: the next lost poll starts a new retry
                return;
            }
            long pending = outbound.totalPendingWriteBytes();
            boolean progressed = pending != pendingAtLastTry;
            pendingAtLastTry = pending;
            if (waitsForLostPollOut(channel)) {
                try {
                    Internals.POLL_OUT.invokeExact(channel.unsafe(), POLLOUT);
                } catch (Throwable e) {
                    throw new IllegalStateException("resuming io_uring writes of " + channel, e);
                }
            }
            schedule(progressed ? FIRST_RETRY_MICROS : Math.min(delayMicros * 2, MAX_RETRY_MILLIS * 1000));
        }
    }

    /** The handles into Netty's io_uring channel, looked up on the first io_uring channel only. */
    private static final class Internals {
        static final MethodHandle IO_STATE;
        static final MethodHandle POLL_OUT;

        static {
            MethodHandle ioState = null;
            MethodHandle pollOut = null;
            try {
                Class<?> channelClass = Class.forName("io.netty.channel.uring.AbstractIoUringChannel");
                Field field = channelClass.getDeclaredField("ioState");
                field.setAccessible(true);
                Method method = Class.forName("io.netty.channel.uring.AbstractIoUringChannel$AbstractUringUnsafe")
                        .getDeclaredMethod("pollOut", int.class);
                method.setAccessible(true);
                ioState = MethodHandles.lookup().unreflectGetter(field)
                        .asType(MethodType.methodType(byte.class, Channel.class));
                pollOut = MethodHandles.lookup().unreflect(method)
                        .asType(MethodType.methodType(void.class, Channel.Unsafe.class, int.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                log.warn("io_uring half-closure workaround unavailable ({}): a write toward a peer that has sent"
                        + " its FIN may stall until the linger deadline", e.toString());
                ioState = null;
                pollOut = null;
            }
            IO_STATE = ioState;
            POLL_OUT = pollOut;
        }
    }
}
