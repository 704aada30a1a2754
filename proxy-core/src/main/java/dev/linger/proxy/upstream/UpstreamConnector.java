package dev.linger.proxy.upstream;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.metrics.RouteMeters;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Opens a session's upstream connection: picks the upstream, connects on the session's own event loop
 * (so both channels of a session share one thread), and counts failed attempts.
 */
public final class UpstreamConnector {

    private final UpstreamSelector selector;
    private final Bootstrap template;
    private final ChannelGroup channels;
    private final RouteMeters meters;

    /**
     * @param route        the route whose upstreams and connect-timeout apply
     * @param channelClass the transport's socket channel class
     * @param resolver     resolves upstream host names without blocking
     * @param channels     every open channel of the proxy; upstream channels join it
     * @param meters       the route's meters, for connect failures
     */
    public UpstreamConnector(RouteConfig route, Class<? extends SocketChannel> channelClass,
            AddressResolverGroup<InetSocketAddress> resolver, ChannelGroup channels, RouteMeters meters) {
        this.selector = new UpstreamSelector(route.upstreams());
        this.channels = channels;
        this.meters = meters;
        this.template = new Bootstrap()
                .channel(channelClass)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(route.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }

    /**
     * Starts connecting to the next upstream on {@code loop}; {@code pipeline} makes the handler of each
     * channel tried.
     */
    public UpstreamAttempt connect(EventLoop loop, Supplier<ChannelHandler> pipeline) {
        Upstream target = selector.next();
        return new SingleAttempt(target, template, loop, pipeline, channels::add,
                () -> meters.connectFailed(target.toString()));
    }
}
