package dev.linger.proxy.upstream;

import dev.linger.proxy.config.RouteConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the upstream for each connect of a route's sessions: the route's balancer over the upstreams
 * that are selectable now (passing their health checks, if any, and not ejected) and that this session
 * has not tried yet. It also keeps the record of connect outcomes that passive ejection works from.
 */
final class UpstreamSelector {

    private static final Logger log = LoggerFactory.getLogger(UpstreamSelector.class);

    private final String route;
    private final List<UpstreamState> upstreams;
    private final Balancer balancer;
    private final LongSupplier nanoClock;
    private final Duration coolDown;
    private final ConnectException noneSelectable;

    /** A selector on the system clock, picking at random (if so configured) with ThreadLocalRandom. */
    UpstreamSelector(RouteConfig route) {
        this(route, System::nanoTime, ThreadLocalRandom::current);
    }

    UpstreamSelector(RouteConfig route, LongSupplier nanoClock, Supplier<RandomGenerator> random) {
        this.route = route.name();
        List<UpstreamState> states = new ArrayList<>();
        for (int i = 0; i < route.upstreams().size(); i++) {
            states.add(new UpstreamState(Upstream.of(route.upstreams().get(i)), route.weights().get(i), i,
                    route.ejection()));
        }
        this.upstreams = List.copyOf(states);
        this.balancer = Balancer.of(route.balance(), upstreams, random);
        this.nanoClock = nanoClock;
        this.coolDown = route.ejection().coolDown();
        this.noneSelectable = new NoSelectableUpstreamException(route.name());
    }

    /**
     * The upstream for a session's next try, skipping those it {@code tried} (indexed like the
     * route's upstreams); null when none is left that may be picked.
     */
    UpstreamState pick(boolean[] tried) {
        long now = nanoClock.getAsLong();
        return balancer.pick(upstream -> !tried[upstream.index()] && upstream.selectable(now));
    }

    /** Why a session got no upstream at all: every one is ejected or failing its checks. */
    ConnectException noneSelectable() {
        return noneSelectable;
    }

    /** A connect to {@code upstream} failed; it may be ejected now. */
    void connectFailed(UpstreamState upstream) {
        if (upstream.connectFailed(nanoClock.getAsLong())) {
            // Once per ejection, not per failed connect: at most one line per cool-down and upstream.
            log.warn("route {}: upstream {} left out of selection for {}: connect failed {} time(s) in a row",
                    route, upstream, coolDown, upstream.failuresToEject());
        }
    }

    void connectSucceeded(UpstreamState upstream) {
        upstream.connectSucceeded();
    }

    /** Every upstream, in configuration order. */
    List<UpstreamState> upstreams() {
        return upstreams;
    }

    long now() {
        return nanoClock.getAsLong();
    }

    /** The failure of a session that found no upstream to try; shared, so it has no stack trace. */
    private static final class NoSelectableUpstreamException extends ConnectException {

        private static final long serialVersionUID = 1L;

        NoSelectableUpstreamException(String route) {
            super("route " + route + ": no upstream selectable (every one is ejected or failing its health checks)");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
