package dev.linger.proxy.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Least connections: the upstream with the lowest load (sessions connecting or connected) per unit of
 * weight. The scan starts one upstream further on each pick, so ties go round-robin. Two event loops
 * picking at the same instant may both see the same minimum; the counts are exact, the choice between
 * near-equal upstreams is what can differ by one.
 */
final class LeastConnectionsBalancer implements Balancer {

    private final List<UpstreamState> upstreams;
    private final AtomicLong cursor = new AtomicLong();

    LeastConnectionsBalancer(List<UpstreamState> upstreams) {
        this.upstreams = List.copyOf(upstreams);
    }

    @Override
    public UpstreamState pick(Predicate<UpstreamState> eligible) {
        int count = upstreams.size();
        int start = (int) Math.floorMod(cursor.getAndIncrement(), count);
        UpstreamState best = null;
        long bestLoad = 0;
        for (int i = 0; i < count; i++) {
            UpstreamState candidate = upstreams.get((start + i) % count);
            if (!eligible.test(candidate)) {
                continue;
            }
            long load = candidate.load();
            // load / weight < bestLoad / best.weight, without division
            if (best == null || load * best.weight() < bestLoad * candidate.weight()) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best;
    }
}
