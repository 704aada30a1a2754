package dev.linger.proxy.route;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.SessionRegistry;
import dev.linger.proxy.upstream.UpstreamConnector;
import io.netty.channel.ChannelFuture;

/**
 * What a route's sessions share at run time: its settings, how it connects upstream, and the registry
 * of its live sessions. Built once per route at start.
 */
public final class Route implements SessionRegistry {

    private final RouteConfig config;
    private final UpstreamConnector connector;
    private final LiveSessions live = new LiveSessions();

    public Route(RouteConfig config, UpstreamConnector connector) {
        this.config = config;
        this.connector = connector;
    }

    public String name() {
        return config.name();
    }

    public RouteConfig config() {
        return config;
    }

    /** Sessions of this route that have not ended yet. */
    public LiveSessions live() {
        return live;
    }

    ChannelFuture connectUpstream(Session session) {
        return connector.connect(session);
    }

    @Override
    public void opened(Session session) {
        live.add(session);
    }

    @Override
    public void ended(Session session) {
        live.remove(session);
    }
}
