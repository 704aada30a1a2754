package dev.linger.proxy.session;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * The client bytes a session reads while its upstream connects, written to the upstream, in order, once it
 * is there. The client is read meanwhile so that its first bytes leave as soon as the upstream connects,
 * but only up to {@link #LIMIT}: HAProxy reads a client into its 16 KiB buffer the same way.
 */
final class ConnectBuffer {

    /** Bytes held before the client stops being read (the read that crosses it is kept too). */
    static final int LIMIT = 16 * 1024;

    private ArrayDeque<ByteBuf> held;
    private int bytes;

    /** Keeps {@code read}; answers whether the client should stop being read until the upstream is there. */
    boolean hold(ByteBuf read) {
        if (held == null) {
            held = new ArrayDeque<>(4);
        }
        held.add(read);
        bytes += read.readableBytes();
        return bytes >= LIMIT;
    }

    /** Writes what is held to {@code upstream} (not flushed) and answers how many bytes that was. */
    int writeTo(SessionSocket upstream) {
        int written = bytes;
        if (held != null) {
            ByteBuf read;
            while ((read = held.poll()) != null) {
                upstream.write(read);
            }
            held = null;
        }
        bytes = 0;
        return written;
    }

    /** Releases what is held and answers how many bytes that was. */
    int discard() {
        int dropped = bytes;
        if (held != null) {
            ByteBuf read;
            while ((read = held.poll()) != null) {
                read.release();
            }
            held = null;
        }
        bytes = 0;
        return dropped;
    }
}
