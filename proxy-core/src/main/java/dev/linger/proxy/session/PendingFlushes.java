package dev.linger.proxy.session;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadIoEventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a session has written toward each side and not yet flushed. A read batch's bytes are flushed once,
 * at the end of the event loop's iteration, not at the end of the batch: a FIN read in the same iteration
 * as the bytes before it (an upstream that writes its reply and closes) then finds them unflushed, and
 * they leave with our FIN in one segment ({@link Sockets#corkBeforeFin}) instead of a segment each. The
 * flush comes at the end of the same iteration, and every batch read in it shares the one flush.
 *
 * <p>Only a {@link SingleThreadIoEventLoop} runs the tasks left for the end of its iteration (every
 * transport's loop does); on any other loop, an embedded channel's in tests, a batch is flushed at once.
 */
abstract class PendingFlushes implements Runnable {

    private final SingleThreadIoEventLoop loop;
    // Two fields rather than an array: one object fewer per session.
    private boolean unflushedToClient;
    private boolean unflushedToUpstream;
    private boolean scheduled;

    /** Flushes on {@code loop}. A subclass rather than a callback: one object fewer per session. */
    PendingFlushes(EventLoop loop) {
        this.loop = loop instanceof SingleThreadIoEventLoop ioLoop ? ioLoop : null;
    }

    /** Flushes the socket toward {@code side}. */
    abstract void flushToward(Side side);

    /** Bytes were written toward {@code side}, not flushed. */
    void written(Side side) {
        if (side == Side.CLIENT) {
            unflushedToClient = true;
        } else {
            unflushedToUpstream = true;
        }
    }

    /** A read batch is complete: what it wrote toward {@code side} is flushed at the iteration's end. */
    void batchComplete(Side side) {
        if (!(side == Side.CLIENT ? unflushedToClient : unflushedToUpstream)) {
            return;
        }
        if (loop == null) {
            flush(side);
        } else if (!scheduled) {
            try {
                loop.executeAfterEventLoopIteration(this);
                scheduled = true;
            } catch (RejectedExecutionException e) {
                flushAll(); // the loop is shutting down and takes no more tasks: flush now
            }
        }
    }

    /**
     * Whether bytes toward {@code side} are waiting for the iteration's end; they are the caller's to
     * flush now.
     */
    boolean take(Side side) {
        boolean waiting;
        if (side == Side.CLIENT) {
            waiting = unflushedToClient;
            unflushedToClient = false;
        } else {
            waiting = unflushedToUpstream;
            unflushedToUpstream = false;
        }
        return waiting;
    }

    /** Flushes now whatever waits for the iteration's end. */
    void flushAll() {
        for (Side side : Side.values()) {
            flush(side);
        }
    }

    /** The end of the iteration. */
    @Override
    public void run() {
        scheduled = false;
        flushAll();
    }

    private void flush(Side side) {
        if (take(side)) {
            flushToward(side);
        }
    }
}
