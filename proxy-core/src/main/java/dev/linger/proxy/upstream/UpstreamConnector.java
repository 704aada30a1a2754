package dev.linger.proxy.upstream;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.session.RelayHandler;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.Side;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;

/**
 * Opens a session's upstream connection: picks the upstream, and connects on the session's own event
 * loop so both channels of a session share one thread.
 */
public final class UpstreamConnector {

    private final UpstreamSelector selector;
    private final Bootstrap template;
    private final ChannelGroup channels;

    /**
     * @param route        the route whose upstreams and connect-timeout apply
     * @param channelClass the transport's socket channel class
     * @param resolver     resolves upstream host names without blocking
     * @param channels     every open channel of the proxy; upstream channels join it
     */
    public UpstreamConnector(RouteConfig route, Class<? extends SocketChannel> channelClass,
            AddressResolverGroup<InetSocketAddress> resolver, ChannelGroup channels) {
        this.selector = new UpstreamSelector(route.upstreams());
        this.channels = channels;
        this.template = new Bootstrap()
                .channel(channelClass)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(route.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    /** Starts connecting {@code session}'s upstream on the session's event loop. */
    public ChannelFuture connect(Session session) {
        Upstream target = selector.next();
        ChannelFuture connect = template.clone(session.eventLoop())
                .handler(new RelayHandler(session, Side.UPSTREAM))
                .connect(target.address());
        channels.add(connect.channel());
        return connect;
    }
}
