package dev.linger.proxy.session;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The proxy's own reasons, in time, to end a session: {@code idle-timeout} when no byte has moved either way
 * for that long (nothing read from either side, and nothing drained from either side's outbound buffer: a
 * slow reader still taking bytes is not idle), and {@code max-duration} when the session reaches that age.
 *
 * <p>One idle timer per session, rescheduled lazily; the data path only stamps the time of each read batch.
 * Netty's {@code IdleStateHandler} would do the same job but, watching output, allocates a promise and
 * a listener for every write.
 */
final class Timeouts {

    private final EventLoop loop;
    private final long timeoutNanos;
    private final Consumer<Trigger> end;
    private long lastActivity;
    private long pendingAtLastCheck = -1;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> maxDuration;
    /** The sockets whose outbound buffers count as progress; the upstream joins once connected. */
    private SessionSocket client;
    private SessionSocket upstream;

    /** Starts both timers on {@code loop}; {@code end} ends the session with the trigger that fired. */
    Timeouts(EventLoop loop, RouteConfig config, SessionSocket client, Consumer<Trigger> end) {
        this.loop = loop;
        this.timeoutNanos = config.idleTimeout().toNanos();
        this.end = end;
        this.client = client;
        lastActivity = System.nanoTime();
        timer = loop.schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
        if (config.hasMaxDuration()) {
            maxDuration = loop.schedule(() -> end.accept(Trigger.MAX_DURATION), config.maxDuration().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
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
        if (maxDuration != null) {
            maxDuration.cancel(false);
        }
    }

    /** The upstream is connected: what is queued for it counts as progress too. */
    void watchUpstream(SessionSocket upstreamSocket) {
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
            end.accept(Trigger.IDLE_TIMEOUT);
        }
        pendingAtLastCheck = pending;
    }

    private static long pending(SessionSocket socket) {
        return socket == null ? 0 : socket.queuedBytes();
    }
}
