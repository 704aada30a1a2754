package dev.linger.proxy.testing;

import dev.linger.proxy.config.Balance;
import dev.linger.proxy.config.ConfigLoader;
import dev.linger.proxy.config.ConfigProblems;
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
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds configurations for tests: routes on 127.0.0.1 port 0 (which the file format rightly refuses)
 * with reference.conf's defaults, read by {@link ConfigLoader} itself so that no default is written down
 * twice. The transport comes from {@code -Dlinger.test.transport} (default auto).
 */
public final class TestRoutes {

    private static final HostPort ANY_PORT = new HostPort("127.0.0.1", 0);
    /** reference.conf alone, but for the admin listener, which tests start only when they ask for it. */
    private static final ProxyConfig DEFAULTS = load("proxy.admin.listen = \"\"");
    /** A route with nothing but reference.conf's route-defaults; its listen and upstream are replaced. */
    private static final RouteConfig DEFAULT_ROUTE =
            load("proxy.routes.r { listen = \"127.0.0.1:1\", upstreams = [\"127.0.0.1:2\"] }").routes().get(0);

    private TestRoutes() {
    }

    /** A route named {@code name} in front of {@code upstreams}, with reference.conf's settings. */
    public static RouteConfig route(String name, HostPort... upstreams) {
        TeardownConfig teardown = DEFAULT_ROUTE.teardown();
        return route(name, teardown.policy(), teardown.lingerTimeout(), Map.of(), upstreams);
    }

    /**
     * A route with the given teardown policy, linger deadline and per-trigger overrides, which add to
     * (or replace) reference.conf's overrides (resets travel on as resets).
     */
    public static RouteConfig route(String name, Policy policy, Duration lingerTimeout,
            Map<Trigger, Policy> overrides, HostPort... upstreams) {
        Map<Trigger, Policy> on = new EnumMap<>(Trigger.class);
        on.putAll(DEFAULT_ROUTE.teardown().overrides());
        on.putAll(overrides);
        return edit(DEFAULT_ROUTE, r -> {
            r.name = name;
            r.listen = ANY_PORT;
            r.upstreams = Arrays.asList(upstreams);
            r.weights = Collections.nCopies(upstreams.length, 1);
            r.teardown = new TeardownConfig(policy, lingerTimeout, on);
        });
    }

    /** {@code route} listening on {@code listen}. */
    public static RouteConfig withListen(RouteConfig route, HostPort listen) {
        return edit(route, r -> r.listen = listen);
    }

    /** {@code route} giving up on an upstream connect after {@code connectTimeout}. */
    public static RouteConfig withConnectTimeout(RouteConfig route, Duration connectTimeout) {
        return edit(route, r -> r.connectTimeout = connectTimeout);
    }

    /** {@code route} with other timeouts and limits. */
    public static RouteConfig withLimits(RouteConfig route, Duration idleTimeout, Duration maxDuration,
            int maxConnections) {
        return edit(route, r -> {
            r.idleTimeout = idleTimeout;
            r.maxDuration = maxDuration;
            r.maxConnections = maxConnections;
        });
    }

    /** {@code route} balancing by {@code balance} with these weights (one per upstream). */
    public static RouteConfig withBalance(RouteConfig route, Balance balance, Integer... weights) {
        return edit(route, r -> {
            r.balance = balance;
            r.weights = weights.length == 0 ? route.weights() : List.of(weights);
        });
    }

    /** {@code route} with other retry, ejection and health-check settings. */
    public static RouteConfig withHealth(RouteConfig route, int connectRetries, EjectionConfig ejection,
            HealthCheckConfig healthCheck) {
        return edit(route, r -> {
            r.connectRetries = connectRetries;
            r.ejection = ejection;
            r.healthCheck = healthCheck;
        });
    }

    /** reference.conf's health-check settings with checks turned off ({@code interval = 0s}). */
    public static HealthCheckConfig healthChecksOff() {
        HealthCheckConfig defaults = DEFAULT_ROUTE.healthCheck();
        return new HealthCheckConfig(Duration.ZERO, defaults.timeout(), defaults.rise(), defaults.fall());
    }

    /** {@code route} with another teardown: policy, linger deadline and overrides exactly as given. */
    public static RouteConfig withTeardown(RouteConfig route, TeardownConfig teardown) {
        return edit(route, r -> r.teardown = teardown);
    }

    /** {@code route} accepting or sending PROXY protocol headers as {@code proxyProtocol} says. */
    public static RouteConfig withProxyProtocol(RouteConfig route, ProxyProtocolConfig proxyProtocol) {
        return edit(route, r -> r.proxyProtocol = proxyProtocol);
    }

    /** A whole configuration on {@code transport} with {@code ioThreads} event loops, admin disabled. */
    public static ProxyConfig proxy(TransportKind transport, int ioThreads, RouteConfig... routes) {
        return new ProxyConfig(transport, ioThreads, DEFAULTS.shutdownTimeout(), DEFAULTS.shutdownSpread(),
                DEFAULTS.admin(), DEFAULTS.accessLog(), List.of(routes));
    }

    /** A whole configuration serving {@code routes}, admin disabled, two event loops. */
    public static ProxyConfig proxy(RouteConfig... routes) {
        String transport = System.getProperty("linger.test.transport", "auto");
        return proxy(TransportKind.fromKey(transport).orElseThrow(), routes);
    }

    /** A whole configuration on {@code transport} serving {@code routes}, admin disabled, two event loops. */
    public static ProxyConfig proxy(TransportKind transport, RouteConfig... routes) {
        return proxy(transport, 2, routes);
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

    private static ProxyConfig load(String hocon) {
        try {
            return ConfigLoader.parse(hocon, "TestRoutes");
        } catch (ConfigProblems e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code route} with the fields {@code change} sets; records have no withers. */
    private static RouteConfig edit(RouteConfig route, Consumer<Fields> change) {
        Fields fields = new Fields(route);
        change.accept(fields);
        return fields.build();
    }

    /** A {@link RouteConfig}'s components, to change some and build a new one. */
    private static final class Fields {
        String name;
        HostPort listen;
        List<HostPort> upstreams;
        List<Integer> weights;
        Duration connectTimeout;
        Duration idleTimeout;
        Duration maxDuration;
        int maxConnections;
        Balance balance;
        int connectRetries;
        EjectionConfig ejection;
        HealthCheckConfig healthCheck;
        TeardownConfig teardown;
        ProxyProtocolConfig proxyProtocol;

        Fields(RouteConfig route) {
            name = route.name();
            listen = route.listen();
            upstreams = route.upstreams();
            weights = route.weights();
            connectTimeout = route.connectTimeout();
            idleTimeout = route.idleTimeout();
            maxDuration = route.maxDuration();
            maxConnections = route.maxConnections();
            balance = route.balance();
            connectRetries = route.connectRetries();
            ejection = route.ejection();
            healthCheck = route.healthCheck();
            teardown = route.teardown();
            proxyProtocol = route.proxyProtocol();
        }

        RouteConfig build() {
            return new RouteConfig(name, listen, upstreams, weights, connectTimeout, idleTimeout, maxDuration,
                    maxConnections, balance, connectRetries, ejection, healthCheck, teardown, proxyProtocol);
        }
    }
}
