package dev.linger.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.IovArray;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What an {@link EpollSocket} has written and the kernel has not taken yet, oldest first: a ring of direct
 * buffers (made at the first write, so an idle socket holds none), of which the first are flushed. Flushed
 * buffers go out with one {@code writev} as far as the kernel takes them. The write watermarks are Netty's
 * defaults (32 and 64 KiB), counted by buffer capacity as on the channels ({@code Transport.QUEUED_MEMORY}).
 */
final class WriteQueue {

    private static final int LOW_WATERMARK = 32 * 1024;
    private static final int HIGH_WATERMARK = 64 * 1024;

    /** Per event-loop thread: the iovec array of {@code writev}. */
    private static final FastThreadLocal<IovArray> IOVECS = new FastThreadLocal<>() {
        @Override
        protected IovArray initialValue() {
            return new IovArray(64);
        }

        @Override
        protected void onRemoval(IovArray iov) {
            iov.release();
        }
    };

    private ByteBuf[] ring;
    private int head;
    private int queued;
    private int flushed;
    /** The capacity of what is queued: what the watermarks count. */
    private long memory;
    private boolean unwritable;

    /** Queues {@code bytes}, direct and in one piece, not flushed. */
    void add(ByteBuf bytes) {
        if (ring == null) {
            ring = new ByteBuf[4];
        } else if (queued == ring.length) {
            grow();
        }
        ring[(head + queued) & (ring.length - 1)] = bytes;
        queued++;
        memory += bytes.capacity();
        if (memory > HIGH_WATERMARK) {
            unwritable = true;
        }
    }

    private void grow() {
        ByteBuf[] larger = new ByteBuf[ring.length * 2];
        for (int i = 0; i < queued; i++) {
            larger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = larger;
        head = 0;
    }

    /** Everything queued is flushed from now on. */
    void flushAll() {
        flushed = queued;
    }

    boolean hasFlushed() {
        return flushed > 0;
    }

    /** Whether what is queued is below the high watermark (after it went above it: the low one). */
    boolean writable() {
        return !unwritable;
    }

    /**
     * Writes what is flushed to {@code socket}, as far as the kernel takes it; answers whether all of it went.
     * {@link #becameWritable} tells afterwards whether it dropped below the low watermark.
     */
    boolean writeTo(Socket socket) throws IOException {
        while (flushed > 0) {
            IovArray iov = IOVECS.get();
            iov.clear();
            int mask = ring.length - 1;
            for (int i = 0; i < flushed; i++) {
                ByteBuf bytes = ring[(head + i) & mask];
                if (!iov.add(bytes, bytes.readerIndex(), bytes.readableBytes())) {
                    break; // the rest goes in the next round
                }
            }
            long offered = iov.size();
            long written = iov.count() == 1 ? writeHead(socket) : socket.writevAddresses(iov.memoryAddress(0), iov.count());
            taken(written);
            if (written < offered) {
                return false; // the kernel is full: EPOLLOUT's edge resumes
            }
        }
        return true;
    }

    private long writeHead(Socket socket) throws IOException {
        ByteBuf bytes = ring[head];
        if (bytes.hasMemoryAddress()) {
            return socket.sendAddress(bytes.memoryAddress(), bytes.readerIndex(), bytes.writerIndex());
        }
        ByteBuffer nio = bytes.internalNioBuffer(bytes.readerIndex(), bytes.readableBytes());
        return socket.send(nio, nio.position(), nio.limit());
    }

    /** The kernel took {@code written} bytes from the head. */
    private void taken(long written) {
        long left = written;
        while (flushed > 0) {
            ByteBuf bytes = ring[head];
            int readable = bytes.readableBytes();
            if (readable > left) {
                bytes.skipBytes((int) left);
                break;
            }
            left -= readable;
            dropHead();
        }
    }

    /** Whether the queue went below the low watermark after being above the high one; answers so once. */
    boolean becameWritable() {
        if (unwritable && memory < LOW_WATERMARK) {
            unwritable = false;
            return true;
        }
        return false;
    }

    private void dropHead() {
        ByteBuf bytes = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        queued--;
        if (flushed > 0) {
            flushed--;
        }
        memory -= bytes.capacity();
        bytes.release();
    }

    /** Bytes flushed and not yet taken: what the buffers hold, not their capacity. */
    long flushedBytes() {
        long bytes = 0;
        for (int i = 0; i < flushed; i++) {
            bytes += ring[(head + i) & (ring.length - 1)].readableBytes();
        }
        return bytes;
    }

    /** Drops everything queued. */
    void release() {
        while (queued > 0) {
            dropHead();
        }
    }
}
