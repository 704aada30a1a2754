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
 * @param upstreams      the upstreams it balances over, never empty, each listed once
 * @param weights        each upstream's weight (1-1000), in the order of {@code upstreams}
 * @param connectTimeout how long one upstream connect may take
 * @param idleTimeout    no byte either way for this long ends the session (trigger idle-timeout)
 * @param maxDuration    sessions older than this end (trigger max-duration); {@link Duration#ZERO} = unlimited
 * @param maxConnections sessions beyond this are refused (trigger rejected)
 * @param balance        how an upstream is picked
 * @param connectRetries how many other upstreams a session tries after a failed connect;
 *                       {@link #EACH_UPSTREAM} = every upstream once
 * @param ejection       passive ejection of upstreams whose connects keep failing
 * @param healthCheck    active health checks
 * @param teardown       how sessions end
 * @param proxyProtocol  PROXY protocol headers accepted from clients and sent to upstreams
 */
public record RouteConfig(
        String name,
        HostPort listen,
        List<HostPort> upstreams,
        List<Integer> weights,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration maxDuration,
        int maxConnections,
        Balance balance,
        int connectRetries,
        EjectionConfig ejection,
        HealthCheckConfig healthCheck,
        TeardownConfig teardown,
        ProxyProtocolConfig proxyProtocol) {

    /** {@code connect-retries = all}: after a failed connect, try every other upstream once. */
    public static final int EACH_UPSTREAM = -1;
    /** The largest weight an upstream may have. */
    public static final int MAX_WEIGHT = 1000;

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams: [] (expected: at least one host:port)");
        }
        weights = List.copyOf(weights);
        if (weights.size() != upstreams.size()) {
            throw new IllegalArgumentException("weights: " + weights + " (expected: one per upstream, "
                    + upstreams.size() + ")");
        }
        for (int weight : weights) {
            if (weight < 1 || weight > MAX_WEIGHT) {
                throw new IllegalArgumentException("weights: " + weights + " (expected: each 1-" + MAX_WEIGHT + ")");
            }
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(balance, "balance");
        if (connectRetries < EACH_UPSTREAM) {
            throw new IllegalArgumentException("connectRetries: " + connectRetries + " (expected: >= 0, or "
                    + EACH_UPSTREAM + " for each upstream once)");
        }
        Objects.requireNonNull(ejection, "ejection");
        Objects.requireNonNull(healthCheck, "healthCheck");
        Objects.requireNonNull(teardown, "teardown");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /** Whether sessions of this route have a maximum age. */
    public boolean hasMaxDuration() {
        return !maxDuration.isZero();
    }

    /** How many connects one session may make at most: the first and its retries, each on another upstream. */
    public int connectTries() {
        return connectRetries == EACH_UPSTREAM ? upstreams.size() : Math.min(upstreams.size(), connectRetries + 1);
    }
}
