package dev.linger.proxy.session;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Watches a session's half-closed sockets drain: each one's linger deadline, and the questions to its socket
 * whether it drained, on events and on a poll. What it learns goes to the teardown as {@link Event#DRAINED}
 * and {@link Event#LINGER_DEADLINE}.
 *
 * <p>The poll starts at {@value #FIRST_POLL_MICROS} µs and doubles up to {@value #MAX_POLL_MILLIS} ms: on
 * loopback or a LAN the ACK is there at the first look, and thousands of sessions draining toward slow peers
 * cost one look each per 200 ms. The polls only decide how soon a drained session is closed: the linger
 * deadline asks once more before it resets.
 */
final class DrainWatch {

    private static final long FIRST_POLL_MICROS = 500;
    private static final long MAX_POLL_MILLIS = 200;

    private final EventLoop loop;
    private final long lingerNanos;
    private final TeardownMachine teardown;
    private final Function<Side, SessionSocket> sockets;
    private final BiConsumer<Event, Side> report;
    private final ScheduledFuture<?>[] deadlines = new ScheduledFuture<?>[Side.values().length];
    private ScheduledFuture<?> poll;
    private long pollMicros = FIRST_POLL_MICROS;

    /** Everything runs on {@code loop}; {@code report} hands an event to the teardown. */
    DrainWatch(EventLoop loop, long lingerNanos, TeardownMachine teardown, Function<Side, SessionSocket> sockets,
            BiConsumer<Event, Side> report) {
        this.loop = loop;
        this.lingerNanos = lingerNanos;
        this.teardown = teardown;
        this.sockets = sockets;
        this.report = report;
    }

    /** {@code side}'s socket is being half-closed: it must drain within the linger timeout. */
    void arm(Side side) {
        stop(side);
        deadlines[side.ordinal()] = loop.schedule(() -> {
            deadlines[side.ordinal()] = null;
            if (teardown.awaitsDrain(side)) {
                probe(side); // the last poll may be up to MAX_POLL_MILLIS old
            }
            report.accept(Event.LINGER_DEADLINE, side);
        }, lingerNanos, TimeUnit.NANOSECONDS);
    }

    /** {@code side}'s socket drained, or is gone. */
    void stop(Side side) {
        ScheduledFuture<?> deadline = deadlines[side.ordinal()];
        if (deadline != null) {
            deadline.cancel(false);
            deadlines[side.ordinal()] = null;
        }
    }

    /**
     * Asks {@code side}'s half-closed socket whether it drained; if the kernel says not yet, asks again after
     * a delay. Where the transport cannot tell, the peer's FIN will, and the teardown asks then.
     */
    void probe(Side side) {
        switch (sockets.apply(side).drain(teardown.finReceived(side))) {
            case DRAINED -> report.accept(Event.DRAINED, side);
            case PENDING -> pollLater();
            case UNKNOWN -> { }
        }
    }

    private void pollLater() {
        if (poll == null) {
            long delay = pollMicros;
            pollMicros = Math.min(pollMicros * 2, MAX_POLL_MILLIS * 1000);
            poll = loop.schedule(() -> {
                poll = null; // running now: a socket still pending must schedule anew
                for (Side side : Side.values()) {
                    if (teardown.awaitsDrain(side)) {
                        probe(side);
                    }
                }
            }, delay, TimeUnit.MICROSECONDS);
        }
    }

    void cancelAll() {
        for (Side side : Side.values()) {
            stop(side);
        }
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }
}
