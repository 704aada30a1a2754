package dev.linger.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One route, with {@code route-defaults} already applied: where it listens, where it connects, and how
 * its sessions end.
 *
 * @param name           the route's key under {@code proxy.routes}; the {@code route} tag of its metrics
 * @param listen         the address its listener binds
 * @param upstreams      the upstreams it balances over, never empty
 * @param connectTimeout how long an upstream connect may take
 * @param idleTimeout    no byte either way for this long ends the session (trigger idle-timeout)
 * @param maxDuration    sessions older than this end (trigger max-duration); {@link Duration#ZERO} = unlimited
 * @param maxConnections sessions beyond this are refused (trigger rejected)
 * @param balance        how an upstream is picked
 * @param teardown       how sessions end
 * @param proxyProtocol  PROXY protocol headers accepted from clients and sent to upstreams
 */
public record RouteConfig(
        String name,
        HostPort listen,
        List<HostPort> upstreams,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration maxDuration,
        int maxConnections,
        Balance balance,
        TeardownConfig teardown,
        ProxyProtocolConfig proxyProtocol) {

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams: [] (expected: at least one host:port)");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(teardown, "teardown");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /** A route that neither accepts nor sends PROXY protocol headers. */
    public RouteConfig(String name, HostPort listen, List<HostPort> upstreams, Duration connectTimeout,
            Duration idleTimeout, Duration maxDuration, int maxConnections, Balance balance, TeardownConfig teardown) {
        this(name, listen, upstreams, connectTimeout, idleTimeout, maxDuration, maxConnections, balance, teardown,
                ProxyProtocolConfig.OFF);
    }

    /** Whether sessions of this route have a maximum age. */
    public boolean hasMaxDuration() {
        return !maxDuration.isZero();
    }
}
