package dev.linger.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's PROXY-protocol codecs for a socket that is no channel ({@link EpollSocket}): each runs in an embedded
 * channel of its own, the decoder only until the client's header is in, the encoder once per header sent.
 */
final class ProxyHeaderCodec {

    private final EmbeddedChannel decoder = new EmbeddedChannel(new HAProxyMessageDecoder());

    /**
     * Decodes what the client sent: the header once it is complete, then the bytes that followed it, go to
     * {@code session} in order. Answers whether the header is in (the decoder is done).
     *
     * @throws io.netty.handler.codec.DecoderException when the header is malformed
     */
    boolean decode(ByteBuf bytes, Session session, Side side) {
        decoder.writeInbound(bytes);
        boolean done = false;
        Object out;
        while ((out = decoder.readInbound()) != null) {
            if (out instanceof HAProxyMessage header) {
                done = true;
                try {
                    session.proxyHeader(header);
                } finally {
                    header.release();
                }
            } else if (out instanceof ByteBuf after) {
                session.read(side, after);
            } else {
                ReferenceCountUtil.release(out);
            }
        }
        return done;
    }

    /**
     * The client's FIN came before the header was complete: a partial header is malformed.
     *
     * @throws io.netty.handler.codec.DecoderException when it is
     */
    void inputShutdown() {
        decoder.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        decoder.checkException();
    }

    /** Releases what the decoder holds; a malformed header it would report again at its close is not. */
    void close() {
        try {
            decoder.finishAndReleaseAll();
        } catch (RuntimeException e) {
            // The decoder already failed (and closed its channel) on this header: it was reported then.
        }
    }

    /** The bytes of {@code header}; it is released. */
    static ByteBuf encode(HAProxyMessage header) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        try {
            encoder.writeOutbound(header);
            return encoder.readOutbound();
        } finally {
            encoder.finishAndReleaseAll();
        }
    }
}
