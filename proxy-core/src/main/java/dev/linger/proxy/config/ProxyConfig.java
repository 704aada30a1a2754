package dev.linger.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole validated configuration ({@code proxy}), built once by {@link ConfigLoader} and never
 * changed afterwards.
 *
 * @param transport       which I/O transport to use
 * @param ioThreads       event-loop threads; 0 = number of cores
 * @param shutdownTimeout drain time on SIGTERM before the rest is closed with trigger shutdown
 * @param shutdownSpread  the window over which the sessions left at shutdown-timeout are ended
 * @param admin           the admin listener
 * @param accessLog       whether each session's end is logged on {@code proxy.access}
 * @param routes          the routes, sorted by name
 */
public record ProxyConfig(
        TransportKind transport,
        int ioThreads,
        Duration shutdownTimeout,
        Duration shutdownSpread,
        AdminConfig admin,
        boolean accessLog,
        List<RouteConfig> routes) {

    public ProxyConfig {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(shutdownSpread, "shutdownSpread");
        Objects.requireNonNull(admin, "admin");
        routes = List.copyOf(routes);
    }

    /** This configuration with another admin listener. */
    public ProxyConfig withAdmin(AdminConfig other) {
        return new ProxyConfig(transport, ioThreads, shutdownTimeout, shutdownSpread, other, accessLog, routes);
    }

    /** The event-loop thread count to use: {@code ioThreads}, or the number of cores when it is 0. */
    public int effectiveIoThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }
}
