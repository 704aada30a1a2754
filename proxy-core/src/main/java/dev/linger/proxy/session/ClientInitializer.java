package dev.linger.proxy.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.function.Supplier;

/**
 * Turns each accepted client connection into a session of its route, with the client pipeline
 * {@link SessionPipelines} describes. Idleness is watched by the session itself, not by a handler.
 */
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final Supplier<? extends SessionRoute> route;

    /** {@code route} answers the version of the route new connections get. */
    public ClientInitializer(Supplier<? extends SessionRoute> route) {
        this.route = route;
    }

    @Override
    protected void initChannel(Channel client) {
        SessionRoute current = route.get();
        ChannelSocket socket = new ChannelSocket(client, current.drainProbe());
        HeaderIntake header = Session.speaksProxyProtocol(current.config())
                ? new HeaderIntake(client.eventLoop(), socket) : null;
        Session session = new Session(client.eventLoop(), current, socket, header, SocketLayer.CHANNELS);
        if (current.config().proxyProtocol().accept()) {
            // Decodes the client's PROXY header (v1 or v2), then removes itself.
            client.pipeline().addLast(SessionPipelines.PROXY_HEADER_GUARD, new ProxyHeaderCloseGuard(session));
            client.pipeline().addLast(SessionPipelines.PROXY_HEADER, new HAProxyMessageDecoder());
        }
        client.pipeline().addLast(SessionPipelines.RELAY, new RelayHandler(session, Side.CLIENT));
        session.start();
    }
}
