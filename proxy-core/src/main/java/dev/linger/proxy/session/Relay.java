package dev.linger.proxy.session;

import dev.linger.proxy.metrics.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The bytes of a session: each read written on to the other side, with backpressure (a side is read only
 * while the other can take more) and flushes batched to the end of the event loop's iteration
 * ({@link PendingFlushes}). Until the upstream is connected, client bytes are held ({@link ConnectBuffer});
 * once the teardown discards, what is read is dropped and counted as such.
 */
final class Relay {

    private final TeardownMachine teardown;
    private final SessionRecord record;
    private final SessionSocket client;
    /** Made when the client sends before the upstream is there, dropped once it is. */
    private ConnectBuffer held;
    private final PendingFlushes flushes;
    private SessionSocket upstream;

    Relay(EventLoop loop, SessionSocket client, TeardownMachine teardown, SessionRecord record) {
        this.client = client;
        this.teardown = teardown;
        this.record = record;
        this.flushes = new PendingFlushes(loop) {
            @Override
            void flushToward(Side side) {
                SessionSocket socket = socket(side);
                if (socket != null) {
                    socket.flush();
                }
            }
        };
    }

    /** Bytes read from {@code from}. */
    void read(Side from, ByteBuf bytes) {
        Direction direction = towards(from.peer());
        int count = bytes.readableBytes();
        if (teardown.dropsReads() || (from == Side.UPSTREAM && upstream == null)) {
            record.discarded(direction, count);
            bytes.release();
            return;
        }
        if (upstream == null) {
            if (held == null) {
                held = new ConnectBuffer();
            }
            if (held.hold(bytes)) {
                client.read(false); // connected() resumes it
            }
            return;
        }
        record.relayed(direction, count);
        SessionSocket to = socket(from.peer());
        to.write(bytes);
        flushes.written(from.peer());
        if (!to.writable()) {
            // Past the high watermark: what waits goes now rather than at the iteration's end, so that a
            // bulk stream is not stopped at every full read (and its epoll interest changed twice). Only if
            // the socket cannot take it all does backpressure stop reading this side, until the other side
            // drains below its low watermark.
            flushes.take(from.peer());
            to.flush();
            if (!to.writable()) {
                socket(from).read(false);
            }
        }
    }

    /**
     * The upstream is connected: {@code first} (a PROXY header, or null) and then the client bytes held
     * meanwhile go to it, and the client is read as long as the upstream can take more.
     */
    void connected(SessionSocket connected, Object first) {
        upstream = connected;
        if (first != null) {
            upstream.write(first);
        }
        int heldBytes = held == null ? 0 : held.writeTo(upstream);
        held = null;
        record.relayed(Direction.UPSTREAM, heldBytes);
        if (first != null || heldBytes > 0) {
            upstream.flush();
        }
        if (!teardown.finReceived(Side.CLIENT)) {
            client.read(upstream.writable());
        }
    }

    /** {@code side}'s socket crossed a write watermark: the other side is read again once it can take more. */
    void writabilityChanged(Side side) {
        if (upstream == null) {
            return;
        }
        if (socket(side).writable() && !teardown.finReceived(side.peer())) {
            socket(side.peer()).read(true);
        }
    }

    /** A read batch from {@code from} is complete: what it produced is flushed at the iteration's end. */
    void batchComplete(Side from) {
        flushes.batchComplete(from.peer());
    }

    /** Whether bytes toward {@code side} wait for the iteration's end; they are the caller's to flush now. */
    boolean takeUnflushed(Side side) {
        return flushes.take(side);
    }

    /** Drops the client bytes held for an upstream that will not get them, counted as discarded. */
    void dropHeld() {
        if (held != null) {
            record.discarded(Direction.UPSTREAM, held.discard());
            held = null;
        }
    }

    /**
     * Resets {@code side}'s socket; what is still queued for it is counted as discarded. What waits for the
     * iteration's end is flushed first: what the socket takes is not dropped, and the rest is counted.
     */
    void drop(Side side) {
        SessionSocket socket = socket(side);
        if (socket != null) {
            if (flushes.take(side)) {
                socket.flush();
            }
            record.discarded(towards(side), socket.queuedBytes());
            socket.reset();
        }
    }

    /** Resets both sockets at once, dropping what the proxy still holds; what was read before goes first. */
    void abort() {
        dropHeld();
        drop(Side.CLIENT);
        drop(Side.UPSTREAM);
    }

    private SessionSocket socket(Side side) {
        return side == Side.CLIENT ? client : upstream;
    }

    static Direction towards(Side side) {
        return side == Side.UPSTREAM ? Direction.UPSTREAM : Direction.DOWNSTREAM;
    }
}
