package dev.linger.proxy.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Smooth weighted round-robin, nginx's algorithm: weights 5, 1, 1 give a a b a c a a rather than
 * a a a a a b c. The algorithm updates every upstream's score on each pick, which would need a lock;
 * instead its sequence for one full round (the sum of the weights, divided by their greatest common
 * divisor) is computed once, and a shared atomic cursor walks it. Equal weights thus give an exact
 * spread however many event loops pick at once.
 *
 * <p>An upstream that may not be picked is skipped by taking the next slot, so the others keep their
 * shares relative to each other.
 */
final class RoundRobinBalancer implements Balancer {

    private final List<UpstreamState> upstreams;
    private final int[] round;
    private final boolean weighted;
    private final AtomicLong cursor = new AtomicLong();

    RoundRobinBalancer(List<UpstreamState> upstreams) {
        this.upstreams = List.copyOf(upstreams);
        this.round = round(this.upstreams.stream().mapToInt(UpstreamState::weight).toArray());
        this.weighted = round.length > this.upstreams.size();
    }

    @Override
    public UpstreamState pick(Predicate<UpstreamState> eligible) {
        // A weighted round can be long (up to 1000 slots per upstream): do not walk it in vain.
        if (weighted && upstreams.stream().noneMatch(eligible)) {
            return null;
        }
        // Bounded by one round: eligibility may change meanwhile on another thread.
        for (int i = 0; i < round.length; i++) {
            UpstreamState next = upstreams.get(round[(int) Math.floorMod(cursor.getAndIncrement(), round.length)]);
            if (eligible.test(next)) {
                return next;
            }
        }
        return null;
    }

    /** One round of smooth weighted round-robin over {@code weights}: indexes into them. */
    static int[] round(int[] weights) {
        int divisor = 0;
        for (int weight : weights) {
            divisor = gcd(divisor, weight);
        }
        int[] reduced = new int[weights.length];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / divisor;
            total += reduced[i];
        }
        int[] current = new int[weights.length];
        int[] round = new int[total];
        for (int slot = 0; slot < total; slot++) {
            int best = 0;
            for (int i = 0; i < reduced.length; i++) {
                current[i] += reduced[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            round[slot] = best;
        }
        return round;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
