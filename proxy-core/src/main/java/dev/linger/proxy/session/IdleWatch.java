package dev.linger.proxy.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fires when no byte has moved either way for the idle timeout: nothing read from either side, and
 * nothing drained from either side's outbound buffer (a slow reader still taking bytes is not idle).
 *
 * <p>One timer per session, rescheduled lazily; the data path only stamps the time of each read batch.
 * Netty's {@code IdleStateHandler} would do the same job but, watching output, allocates a promise and
 * a listener for every write.
 */
final class IdleWatch {

    private final EventLoop loop;
    private final long timeoutNanos;
    private final Runnable onIdle;
    private long lastActivity;
    private long pendingAtLastCheck = -1;
    private ScheduledFuture<?> timer;
    /** The channels whose outbound buffers count as progress; the upstream joins once connected. */
    private SessionSocket client;
    private SessionSocket upstream;

    IdleWatch(EventLoop loop, long timeoutNanos, Runnable onIdle) {
        this.loop = loop;
        this.timeoutNanos = timeoutNanos;
        this.onIdle = onIdle;
    }

    void start() {
        lastActivity = System.nanoTime();
        timer = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** Bytes were read from one side. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    void watchOutput(SessionSocket clientSocket, SessionSocket upstreamSocket) {
        client = clientSocket;
        upstream = upstreamSocket;
    }

    private void check() {
        if (timer == null) {
            return;
        }
        long now = System.nanoTime();
        long quiet = now - lastActivity;
        long pending = pending(client) + pending(upstream);
        if (quiet < timeoutNanos) {
            timer = loop.schedule(this::check, timeoutNanos - quiet, TimeUnit.NANOSECONDS);
        } else if (pending > 0 && pending != pendingAtLastCheck) {
            // Bytes queued for a peer are still draining to it: that is movement too.
            lastActivity = now;
            timer = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        } else {
            timer = null;
            onIdle.run();
        }
        pendingAtLastCheck = pending;
    }

    private static long pending(SessionSocket socket) {
        return socket == null ? 0 : socket.queuedBytes();
    }
}
