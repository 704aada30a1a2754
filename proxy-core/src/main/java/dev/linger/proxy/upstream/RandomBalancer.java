package dev.linger.proxy.upstream;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Weighted random: each eligible upstream is picked with a probability proportional to its weight. */
final class RandomBalancer implements Balancer {

    private final List<UpstreamState> upstreams;
    private final Supplier<RandomGenerator> random;

    /** {@code random} gives each calling thread its generator (ThreadLocalRandom::current in production). */
    RandomBalancer(List<UpstreamState> upstreams, Supplier<RandomGenerator> random) {
        this.upstreams = List.copyOf(upstreams);
        this.random = random;
    }

    @Override
    public UpstreamState pick(Predicate<UpstreamState> eligible) {
        // Eligibility is tested once per upstream: it may change meanwhile on another thread.
        UpstreamState[] candidates = new UpstreamState[upstreams.size()];
        int count = 0;
        int total = 0;
        for (UpstreamState upstream : upstreams) {
            if (eligible.test(upstream)) {
                candidates[count++] = upstream;
                total += upstream.weight();
            }
        }
        if (count == 0) {
            return null;
        }
        int point = random.get().nextInt(total);
        for (int i = 0; i < count - 1; i++) {
            point -= candidates[i].weight();
            if (point < 0) {
                return candidates[i];
            }
        }
        return candidates[count - 1];
    }
}
