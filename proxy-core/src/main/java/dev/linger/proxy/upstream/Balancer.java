package dev.linger.proxy.upstream;

import dev.linger.proxy.config.Balance;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A balancing strategy ({@code balance}) over a route's upstreams. Called from every event loop at once,
 * so implementations are thread-safe without locks.
 */
interface Balancer {

    /** The upstream for the next try among those {@code eligible} accepts; null when it accepts none. */
    UpstreamState pick(Predicate<UpstreamState> eligible);

    static Balancer of(Balance balance, List<UpstreamState> upstreams, Supplier<RandomGenerator> random) {
        return switch (balance) {
            case ROUND_ROBIN -> new RoundRobinBalancer(upstreams);
            case LEAST_CONNECTIONS -> new LeastConnectionsBalancer(upstreams);
            case RANDOM -> new RandomBalancer(upstreams, random);
        };
    }
}
