package dev.linger.proxy.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Sits between the socket and Netty's {@code HAProxyMessageDecoder}, which closes the channel itself
 * when a header is malformed. How a session ends is the session's decision, so that close is dropped
 * while the header is still awaited; the decoder's exception reaches the session as trigger error.
 */
final class ProxyHeaderCloseGuard extends ChannelOutboundHandlerAdapter {

    private final Session session;

    ProxyHeaderCloseGuard(Session session) {
        this.session = session;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (session.awaitingProxyHeader()) {
            promise.trySuccess();
            return;
        }
        super.close(ctx, promise);
    }
}
