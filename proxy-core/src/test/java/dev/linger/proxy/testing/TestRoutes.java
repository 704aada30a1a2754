package dev.linger.proxy.testing;

import dev.linger.proxy.config.AdminConfig;
import dev.linger.proxy.config.Balance;
import dev.linger.proxy.config.EjectionConfig;
import dev.linger.proxy.config.HealthCheckConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.ProxyProtocolConfig;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds configurations for tests: routes on 127.0.0.1 port 0 (which the file format rightly refuses)
 * with the contract's defaults. The transport comes from {@code -Dlinger.test.transport} (default auto).
 */
public final class TestRoutes {

    private TestRoutes() {
    }

    /** A route named {@code name} in front of {@code upstreams}, with the contract's default settings. */
    public static RouteConfig route(String name, HostPort... upstreams) {
        return route(name, Policy.GRACEFUL, Duration.ofSeconds(5), Map.of(), upstreams);
    }

    /** A route with the given teardown policy, linger deadline and per-trigger overrides. */
    public static RouteConfig route(String name, Policy policy, Duration lingerTimeout,
            Map<Trigger, Policy> overrides, HostPort... upstreams) {
        Map<Trigger, Policy> on = new EnumMap<>(Trigger.class);
        on.put(Trigger.CLIENT_RST, Policy.ABORT);
        on.put(Trigger.UPSTREAM_RST, Policy.ABORT);
        on.putAll(overrides);
        return new RouteConfig(name, new HostPort("127.0.0.1", 0), Arrays.asList(upstreams),
                Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ZERO, 10_000, Balance.ROUND_ROBIN,
                new TeardownConfig(policy, lingerTimeout, on));
    }

    /** {@code route} with other timeouts and limits. */
    public static RouteConfig withLimits(RouteConfig route, Duration idleTimeout, Duration maxDuration,
            int maxConnections) {
        return new RouteConfig(route.name(), route.listen(), route.upstreams(), route.weights(),
                route.connectTimeout(), idleTimeout, maxDuration, maxConnections, route.balance(),
                route.connectRetries(), route.ejection(), route.healthCheck(), route.teardown(), route.proxyProtocol());
    }

    /** {@code route} balancing by {@code balance} with these weights (one per upstream). */
    public static RouteConfig withBalance(RouteConfig route, Balance balance, Integer... weights) {
        return new RouteConfig(route.name(), route.listen(), route.upstreams(),
                weights.length == 0 ? route.weights() : List.of(weights), route.connectTimeout(),
                route.idleTimeout(), route.maxDuration(), route.maxConnections(), balance, route.connectRetries(),
                route.ejection(), route.healthCheck(), route.teardown(), route.proxyProtocol());
    }

    /** {@code route} with other retry, ejection and health-check settings. */
    public static RouteConfig withHealth(RouteConfig route, int connectRetries, EjectionConfig ejection,
            HealthCheckConfig healthCheck) {
        return new RouteConfig(route.name(), route.listen(), route.upstreams(), route.weights(),
                route.connectTimeout(), route.idleTimeout(), route.maxDuration(), route.maxConnections(),
                route.balance(), connectRetries, ejection, healthCheck, route.teardown(), route.proxyProtocol());
    }

    /** {@code route} accepting or sending PROXY protocol headers as {@code proxyProtocol} says. */
    public static RouteConfig withProxyProtocol(RouteConfig route, ProxyProtocolConfig proxyProtocol) {
        return new RouteConfig(route.name(), route.listen(), route.upstreams(), route.weights(),
                route.connectTimeout(), route.idleTimeout(), route.maxDuration(), route.maxConnections(),
                route.balance(), route.connectRetries(), route.ejection(), route.healthCheck(), route.teardown(),
                proxyProtocol);
    }

    /** A whole configuration on {@code transport} with {@code ioThreads} event loops, admin disabled. */
    public static ProxyConfig proxy(TransportKind transport, int ioThreads, RouteConfig... routes) {
        return new ProxyConfig(transport, ioThreads, Duration.ofSeconds(30), Duration.ZERO,
                new AdminConfig(Optional.empty(), ""), true, List.of(routes));
    }

    /** A whole configuration serving {@code routes}, admin disabled, two event loops. */
    public static ProxyConfig proxy(RouteConfig... routes) {
        String transport = System.getProperty("linger.test.transport", "auto");
        return proxy(TransportKind.fromKey(transport).orElseThrow(), routes);
    }

    /** A whole configuration on {@code transport} serving {@code routes}, admin disabled, two event loops. */
    public static ProxyConfig proxy(TransportKind transport, RouteConfig... routes) {
        return new ProxyConfig(transport, 2, Duration.ofSeconds(30), Duration.ZERO,
                new AdminConfig(Optional.empty(), ""), true, List.of(routes));
    }

    /** The transports that load on this machine (NIO always; epoll and io_uring where available). */
    public static List<TransportKind> availableTransports() {
        List<TransportKind> kinds = new java.util.ArrayList<>();
        if (io.netty.channel.epoll.Epoll.isAvailable()) {
            kinds.add(TransportKind.EPOLL);
        }
        if (io.netty.channel.uring.IoUring.isAvailable()) {
            kinds.add(TransportKind.IO_URING);
        }
        kinds.add(TransportKind.NIO);
        return kinds;
    }
}
