package dev.linger.app;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One-line descriptions of a route for operators: what {@code --check} prints and what the proxy logs
 * once a route listens. Both name the route, its listen address, its upstreams, its policy and its
 * per-trigger overrides, so a check and a start-up log read alike.
 */
public final class RouteSummary {

    private RouteSummary() {
    }

    /**
     * The route as configured, e.g. {@code route web: listen 127.0.0.1:8080, upstreams [10.0.0.1:80],
     * policy graceful, on {client-rst=abort}}.
     */
    public static String configured(RouteConfig route) {
        return "route " + route.name() + ": listen " + route.listen() + ", upstreams " + upstreams(route)
                + ", " + teardown(route.teardown());
    }

    /**
     * The route once its listener is bound, with the address actually bound, e.g. {@code route web
     * listening on 127.0.0.1:8080 -> [10.0.0.1:80, 10.0.0.2:80], policy graceful, on {client-rst=abort}}.
     */
    static String listening(RouteConfig route, InetSocketAddress bound) {
        return "route " + route.name() + " listening on " + format(bound) + " -> " + upstreams(route)
                + ", " + teardown(route.teardown());
    }

    static String teardown(TeardownConfig teardown) {
        String policy = "policy " + teardown.policy();
        if (teardown.overrides().isEmpty()) {
            return policy;
        }
        // Map.copyOf in the record has no order; trigger order keeps the line stable from run to run.
        return teardown.overrides().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining(", ", policy + ", on {", "}"));
    }

    /** {@code host:port} or {@code [ipv6]:port}, without the {@code /} that InetSocketAddress adds. */
    public static String format(InetSocketAddress address) {
        return new HostPort(address.getHostString(), address.getPort()).toString();
    }

    /** The upstreams as the configuration writes them, with {@code weight=N} where it is not 1. */
    static String upstreams(RouteConfig route) {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < route.upstreams().size(); i++) {
            int weight = route.weights().get(i);
            written.add(route.upstreams().get(i) + (weight == 1 ? "" : " weight=" + weight));
        }
        return written.toString();
    }
}
