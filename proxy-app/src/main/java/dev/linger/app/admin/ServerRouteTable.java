package dev.linger.app.admin;

import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.route.Route;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The running proxy's routes behind the admin API. */
final class ServerRouteTable implements RouteTable {

    private final ProxyServer server;

    ServerRouteTable(ProxyServer server) {
        this.server = server;
    }

    @Override
    public List<RouteView> routes() {
        return server.routes().stream()
                .map(route -> new RouteView(route.config(), server.boundAddress(route.name()), route.live().count(),
                        route.upstreamHealth()))
                .toList();
    }

    @Override
    public OptionalInt endSessions(String name, Policy policy, Optional<HostPort> upstream) {
        for (Route route : server.routes()) {
            if (route.name().equals(name)) {
                return OptionalInt.of(route.endSessions(Trigger.ADMIN, policy, upstream));
            }
        }
        return OptionalInt.empty();
    }
}
