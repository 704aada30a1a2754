package dev.linger.proxy.upstream;

import static dev.linger.proxy.upstream.UpstreamSelectorTest.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.linger.proxy.config.Balance;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BalancerTest {

    private static final Predicate<UpstreamState> ANY = upstream -> true;

    @Test
    void smoothRoundRobinInterleavesByWeightAsNginxDoes() {
        assertThat(RoundRobinBalancer.round(new int[] {5, 1, 1})).containsExactly(0, 0, 1, 0, 2, 0, 0);
        assertThat(RoundRobinBalancer.round(new int[] {1, 1, 1})).containsExactly(0, 1, 2);
        // Reduced by the common divisor: one round is 6 slots, not 600.
        assertThat(RoundRobinBalancer.round(new int[] {100, 200, 300})).hasSize(6);
    }

    @Test
    void roundRobinSpreadsExactlyByWeight() {
        List<UpstreamState> upstreams = states(Balance.ROUND_ROBIN, 1, 2, 3);
        Balancer balancer = new RoundRobinBalancer(upstreams);

        int[] counts = count(balancer, upstreams, 600, ANY);

        assertThat(counts).containsExactly(100, 200, 300);
    }

    @Test
    void roundRobinSkipsAnIneligibleUpstreamAndKeepsTheOthersShares() {
        List<UpstreamState> upstreams = states(Balance.ROUND_ROBIN, 1, 1, 3);
        Balancer balancer = new RoundRobinBalancer(upstreams);

        int[] counts = count(balancer, upstreams, 400, upstream -> upstream.index() != 0);

        assertThat(counts).containsExactly(0, 100, 300);
        assertThat(balancer.pick(upstream -> false)).isNull();
    }

    @Test
    void leastConnectionsPicksTheLowestLoadPerWeight() {
        List<UpstreamState> upstreams = states(Balance.LEAST_CONNECTIONS, 1, 1, 2);
        Balancer balancer = new LeastConnectionsBalancer(upstreams);
        IntStream.range(0, 4).forEach(i -> upstreams.get(0).addLoad());

        // Picks that hold their load: b and c (c twice as often, for its weight) until they match a's 4 per
        // unit of weight; from there on all three in proportion to their weights.
        assertThat(holdingPicks(balancer, 12)).containsExactly(0, 4, 8);
        assertThat(holdingPicks(balancer, 4)).containsExactly(1, 1, 2);
        assertThat(upstreams).extracting(UpstreamState::load).containsExactly(5, 5, 10);
    }

    private static int[] holdingPicks(Balancer balancer, int picks) {
        int[] counts = new int[3];
        for (int i = 0; i < picks; i++) {
            UpstreamState picked = balancer.pick(ANY);
            picked.addLoad();
            counts[picked.index()]++;
        }
        return counts;
    }

    @Test
    void leastConnectionsTiesGoRoundRobin() {
        List<UpstreamState> upstreams = states(Balance.LEAST_CONNECTIONS, 1, 1, 1);
        Balancer balancer = new LeastConnectionsBalancer(upstreams);

        // Nothing holds load: every pick is a tie.
        assertThat(count(balancer, upstreams, 300, ANY)).containsExactly(100, 100, 100);
        assertThat(balancer.pick(upstream -> upstream.index() == 2).index()).isEqualTo(2);
        assertThat(balancer.pick(upstream -> false)).isNull();
    }

    @Test
    void randomPicksRoughlyByWeight() {
        List<UpstreamState> upstreams = states(Balance.RANDOM, 1, 2, 7);
        SplittableRandom random = new SplittableRandom(42);
        Balancer balancer = new RandomBalancer(upstreams, () -> random);
        int picks = 100_000;

        int[] counts = count(balancer, upstreams, picks, ANY);

        // Binomial standard deviation at p = 0.7 is about 145 picks: 1% of 100,000 is more than 6 of them.
        assertThat(counts[0] / (double) picks).isCloseTo(0.1, within(0.01));
        assertThat(counts[1] / (double) picks).isCloseTo(0.2, within(0.01));
        assertThat(counts[2] / (double) picks).isCloseTo(0.7, within(0.01));
    }

    @Test
    void randomOnlyPicksEligibleUpstreams() {
        List<UpstreamState> upstreams = states(Balance.RANDOM, 5, 1, 5);
        SplittableRandom random = new SplittableRandom(7);
        Balancer balancer = new RandomBalancer(upstreams, () -> random);

        int[] counts = count(balancer, upstreams, 1_000, upstream -> upstream.index() == 1);

        assertThat(counts).containsExactly(0, 1_000, 0);
        assertThat(balancer.pick(upstream -> false)).isNull();
    }

    private static int[] count(Balancer balancer, List<UpstreamState> upstreams, int picks,
            Predicate<UpstreamState> eligible) {
        int[] counts = new int[upstreams.size()];
        for (int i = 0; i < picks; i++) {
            counts[balancer.pick(eligible).index()]++;
        }
        return counts;
    }
}
