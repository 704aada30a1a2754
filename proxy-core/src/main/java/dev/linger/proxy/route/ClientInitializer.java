package dev.linger.proxy.route;

import dev.linger.proxy.session.ProxyHeaderCloseGuard;
import dev.linger.proxy.session.RelayHandler;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.Side;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/**
 * Turns each accepted client connection into a session of its route. Client pipeline, in order:
 * {@value #PROXY_HEADER_GUARD} and {@value #PROXY_HEADER} (on routes that accept PROXY protocol), then
 * {@value #RELAY}. Idleness is watched by the session itself, not by a handler.
 */
final class ClientInitializer extends ChannelInitializer<Channel> {

    static final String PROXY_HEADER_GUARD = "proxy-header-guard";
    static final String PROXY_HEADER = "proxy-header";
    static final String RELAY = "relay";

    private final RouteListener listener;

    ClientInitializer(RouteListener listener) {
        this.listener = listener;
    }

    @Override
    protected void initChannel(Channel client) {
        Route route = listener.route();
        Session session = new Session(client, route);
        if (route.config().proxyProtocol().accept()) {
            // Decodes the client's PROXY header (v1 or v2), then removes itself.
            client.pipeline().addLast(PROXY_HEADER_GUARD, new ProxyHeaderCloseGuard(session));
            client.pipeline().addLast(PROXY_HEADER, new HAProxyMessageDecoder());
        }
        client.pipeline().addLast(RELAY, new RelayHandler(session, Side.CLIENT));
        session.start();
    }
}
