package dev.linger.proxy.session;

import dev.linger.proxy.transport.DrainProbe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * A session socket that is a Netty channel: NIO, io_uring, and on epoll the sessions of routes that speak
 * PROXY protocol (its codecs are channel handlers). What the channel reports reaches the session through its
 * {@link RelayHandler}.
 */
final class ChannelSocket implements SessionSocket {

    private final Channel channel;
    private final DrainProbe drainProbe;
    /** Set once the socket was asked to close at the peer's FIN ({@link #closeAtPeerFin}) and took it. */
    private boolean closesAtPeerFin;

    ChannelSocket(Channel channel, DrainProbe drainProbe) {
        this.channel = channel;
        this.drainProbe = drainProbe;
    }

    @Override
    public boolean isConnection(Object connection) {
        return connection == channel;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public void read(boolean on) {
        channel.config().setAutoRead(on);
    }

    /** Queues {@code message} (bytes, or a PROXY header for the encoder), not flushed. */
    @Override
    public void write(Object message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    /** Whether what is queued is below the write high watermark (after it went above it: the low one). */
    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    /**
     * Bytes flushed and not yet handed to the kernel: what the buffers hold, not their capacity (which is what
     * the write watermarks count, {@code Transport.QUEUED_MEMORY}).
     */
    @Override
    public long queuedBytes() {
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        if (outbound == null) {
            return 0;
        }
        Bytes queued = new Bytes();
        try {
            outbound.forEachFlushedMessage(queued);
        } catch (Exception e) {
            throw new IllegalStateException(e); // Bytes.processMessage throws nothing
        }
        return queued.count;
    }

    /** Adds up what queued buffers hold. */
    private static final class Bytes implements ChannelOutboundBuffer.MessageProcessor {
        long count;

        @Override
        public boolean processMessage(Object message) {
            if (message instanceof ByteBuf bytes) {
                count += bytes.readableBytes();
            }
            return true;
        }
    }

    /**
     * Sends our FIN once everything queued is flushed ({@code shutdownOutput()} would fail whatever is still
     * queued), then runs {@code finSent}; a failed flush goes to {@code failed} instead. With {@code
     * withLastBytes}, bytes written just before leave in the FIN's segment ({@link Sockets#corkBeforeFin}).
     */
    @Override
    public void halfClose(boolean withLastBytes, Runnable finSent, Consumer<Throwable> failed) {
        if (withLastBytes) {
            Sockets.corkBeforeFin(channel);
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture flushed) -> {
            if (flushed.isSuccess()) {
                Sockets.shutdownOutput(channel).addListener(shut -> finSent.run());
            } else {
                failed.accept(flushed.cause());
            }
        });
    }

    /**
     * Whether the half-closed socket drained: on epoll the kernel says our FIN was acknowledged ({@code
     * PENDING}: not yet, ask again); elsewhere nothing is left in Netty's buffer once the FIN went out after
     * the flush, and the peer's own FIN is what tells ({@code UNKNOWN} until {@code peerFinReceived}).
     */
    @Override
    public DrainProbe.Drain drain(boolean peerFinReceived) {
        DrainProbe.Drain drain = drainProbe.drain(channel);
        return drain == DrainProbe.Drain.UNKNOWN && peerFinReceived ? DrainProbe.Drain.DRAINED : drain;
    }

    /**
     * The socket drained and waits only for the peer's FIN: its transport may close it at that FIN instead of
     * reporting it, and that close then is the FIN ({@link #closesAtPeerFin}).
     */
    @Override
    public void closeAtPeerFin() {
        closesAtPeerFin = Sockets.closeAtPeerFin(channel);
    }

    /** Whether the socket closes at the peer's FIN: its close is that FIN. */
    @Override
    public boolean closesAtPeerFin() {
        return closesAtPeerFin;
    }

    /** The session goes on with this socket open: if it is shut both ways, it must stop waking the loop. */
    @Override
    public void staysOpen() {
        Sockets.stayOpenAfterFin(channel);
    }

    /** A read batch is complete on a socket whose peer sent its FIN: writes a transport stalled resume. */
    @Override
    public void resumeStalledWrites() {
        Sockets.resumeStalledWrites(channel);
    }

    /** Closes with {@code SO_LINGER=0}: the peer gets an RST. */
    @Override
    public void reset() {
        Sockets.reset(channel);
    }

    @Override
    public void close() {
        channel.close();
    }
}
