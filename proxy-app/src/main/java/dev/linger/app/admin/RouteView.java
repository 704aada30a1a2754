package dev.linger.app.admin;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.upstream.UpstreamHealth;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One route as the admin API shows it at one moment.
 *
 * @param config       the route's settings
 * @param bound        the address its listener is bound to (the real port when it asked for 0)
 * @param liveSessions sessions of the route that have not ended yet
 * @param upstreams    each upstream's health and load
 */
record RouteView(RouteConfig config, InetSocketAddress bound, int liveSessions, List<UpstreamHealth> upstreams) {

    RouteView(RouteConfig config, InetSocketAddress bound, int liveSessions) {
        this(config, bound, liveSessions, List.of());
    }

    String name() {
        return config.name();
    }
}
