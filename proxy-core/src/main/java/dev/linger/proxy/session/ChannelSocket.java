package dev.linger.proxy.session;

import dev.linger.proxy.transport.DrainProbe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
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
    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    @Override
    public void dropProxyHeaderDecoder() {
        ChannelHandlerContext decoder = channel.pipeline().context(HAProxyMessageDecoder.class);
        if (decoder != null) {
            channel.pipeline().remove(decoder.handler());
        }
    }

    @Override
    public void read(boolean on) {
        channel.config().setAutoRead(on);
    }

    @Override
    public void write(Object message) {
        channel.write(message, channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    /** What Netty's outbound buffer holds, by readable bytes (the watermarks count capacity). */
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

    /** The FIN waits for the flush: {@code shutdownOutput()} would fail whatever is still queued. */
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
     * On an epoll channel the kernel's TCP state tells; elsewhere nothing is left in Netty's buffer once the FIN
     * went out after the flush, and the peer's own FIN is what tells.
     */
    @Override
    public DrainProbe.Drain drain(boolean peerFinReceived) {
        DrainProbe.Drain drain = drainProbe.drain(channel);
        return drain == DrainProbe.Drain.UNKNOWN && peerFinReceived ? DrainProbe.Drain.DRAINED : drain;
    }

    @Override
    public void closeAtPeerFin() {
        closesAtPeerFin = Sockets.closeAtPeerFin(channel);
    }

    @Override
    public boolean closesAtPeerFin() {
        return closesAtPeerFin;
    }

    @Override
    public void resumeStalledWrites() {
        Sockets.resumeStalledWrites(channel);
    }

    @Override
    public void reset() {
        Sockets.reset(channel);
    }

    @Override
    public void close() {
        channel.close();
    }
}
