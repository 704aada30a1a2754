package dev.linger.proxy.route;

import dev.linger.proxy.session.RelayHandler;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.Side;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;

/** Turns each accepted client connection into a session of its route. */
final class ClientInitializer extends ChannelInitializer<Channel> {

    /** The name of the relay handler in client and upstream pipelines. */
    static final String RELAY = "relay";

    private final Route route;
    private final ChannelGroup channels;

    ClientInitializer(Route route, ChannelGroup channels) {
        this.route = route;
        this.channels = channels;
    }

    @Override
    protected void initChannel(Channel client) {
        channels.add(client);
        Session session = new Session(client, route.config().teardown(), route, route::connectUpstream);
        client.pipeline().addLast(RELAY, new RelayHandler(session, Side.CLIENT));
        session.start();
    }
}
