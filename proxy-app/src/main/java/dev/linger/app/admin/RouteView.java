package dev.linger.app.admin;

import dev.linger.proxy.config.RouteConfig;
import java.net.InetSocketAddress;

/**
 * One route as the admin API shows it at one moment.
 *
 * @param config       the route's settings
 * @param bound        the address its listener is bound to (the real port when it asked for 0)
 * @param liveSessions sessions of the route that have not ended yet
 */
record RouteView(RouteConfig config, InetSocketAddress bound, int liveSessions) {

    String name() {
        return config.name();
    }
}
