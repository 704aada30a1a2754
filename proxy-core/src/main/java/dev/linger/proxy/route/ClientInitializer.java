package dev.linger.proxy.route;

import dev.linger.proxy.session.ProxyHeaderCloseGuard;
import dev.linger.proxy.session.RelayHandler;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.Side;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Turns each accepted client connection into a session of its route. Client pipeline, in order:
 * {@value #PROXY_HEADER_GUARD} and {@value #PROXY_HEADER} (on routes that accept PROXY protocol), {@value #IDLE} (fires when no byte moved either way: upstream bytes are writes on this channel),
 * then {@value #RELAY}.
 */
final class ClientInitializer extends ChannelInitializer<Channel> {

    static final String PROXY_HEADER_GUARD = "proxy-header-guard";
    static final String PROXY_HEADER = "proxy-header";
    static final String IDLE = "idle";
    static final String RELAY = "relay";

    private final RouteListener listener;
    private final ChannelGroup channels;

    ClientInitializer(RouteListener listener, ChannelGroup channels) {
        this.listener = listener;
        this.channels = channels;
    }

    @Override
    protected void initChannel(Channel client) {
        Route route = listener.route();
        channels.add(client);
        Session session = new Session(client, route);
        // observeOutput: a write still draining to a slow client is progress, not idleness.
        if (route.config().proxyProtocol().accept()) {
            // Decodes the client's PROXY header (v1 or v2), then removes itself.
            client.pipeline().addLast(PROXY_HEADER_GUARD, new ProxyHeaderCloseGuard(session));
            client.pipeline().addLast(PROXY_HEADER, new HAProxyMessageDecoder());
        }
        client.pipeline().addLast(IDLE, new IdleStateHandler(true, 0, 0,
                route.config().idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        client.pipeline().addLast(RELAY, new RelayHandler(session, Side.CLIENT));
        session.start();
    }
}
