package dev.linger.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of both of a session's pipelines: it reports what its channel saw (bytes, read
 * completion, writability, FIN, failure, close) to the session and decides nothing itself.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Session session;
    private final Side side;

    /** A handler for {@code session}'s {@code side} channel. */
    RelayHandler(Session session, Side side) {
        this.session = session;
        this.side = side;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session.channels().added();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        session.channels().removed(); // the pipeline is torn down after the channel closed
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            session.read(side, bytes);
        } else if (msg instanceof HAProxyMessage header) {
            try {
                session.proxyHeader(header);
            } finally {
                header.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.readComplete(side);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.writabilityChanged(side);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            session.inputShutdown(side);
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.failed(side, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.closed(side, ctx.channel());
    }
}
