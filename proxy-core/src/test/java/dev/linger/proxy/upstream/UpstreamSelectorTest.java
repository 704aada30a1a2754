package dev.linger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Balance;
import dev.linger.proxy.config.EjectionConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.testing.TestRoutes;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UpstreamSelectorTest {

    private static final HostPort A = HostPort.parse("10.0.0.1:80");
    private static final HostPort B = HostPort.parse("10.0.0.2:80");
    private static final HostPort C = HostPort.parse("db.internal:5432");

    private final AtomicLong clock = new AtomicLong(-5_000_000_000L); // nanoTime may well be negative

    @Test
    void roundRobinVisitsEveryUpstreamInTurn() {
        UpstreamSelector selector = selector(TestRoutes.route("r", A, B, C));

        List<String> picked = IntStream.range(0, 6).mapToObj(i -> pick(selector)).toList();

        assertThat(picked).containsExactly("10.0.0.1:80", "10.0.0.2:80", "db.internal:5432",
                "10.0.0.1:80", "10.0.0.2:80", "db.internal:5432");
    }

    @Test
    void ipLiteralsAreResolvedOnceAndHostNamesLeftToTheResolver() {
        UpstreamSelector selector = selector(TestRoutes.route("r", HostPort.parse("[::1]:443"),
                HostPort.parse("cache.internal:6379")));

        assertThat(selector.upstreams().get(0).upstream().address().isUnresolved()).isFalse();
        assertThat(selector.upstreams().get(0).upstream().address().getAddress().getHostAddress())
                .isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(selector.upstreams().get(1).upstream().address().isUnresolved()).isTrue();
    }

    @Test
    void upstreamsTriedBySessionAreSkippedAndNoneLeftGivesNull() {
        UpstreamSelector selector = selector(TestRoutes.route("r", A, B, C));
        boolean[] tried = {false, true, false};

        assertThat(IntStream.range(0, 4).mapToObj(i -> selector.pick(tried).toString()))
                .containsExactly("10.0.0.1:80", "db.internal:5432", "10.0.0.1:80", "db.internal:5432");
        assertThat(selector.pick(new boolean[] {true, true, true})).isNull();
    }

    @Test
    void failuresInARowEjectForTheCoolDownAndOneMoreFailureEjectsAgain() {
        UpstreamSelector selector = ejectingAfter(3, A, B);
        UpstreamState a = selector.upstreams().get(0);

        selector.connectFailed(a);
        selector.connectFailed(a);
        assertThat(a.selectable(clock.get())).isTrue();
        selector.connectFailed(a);
        assertThat(a.selectable(clock.get())).isFalse();
        assertThat(IntStream.range(0, 4).mapToObj(i -> pick(selector))).containsOnly("10.0.0.2:80");

        clock.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(a.selectable(clock.get())).isFalse();
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(a.selectable(clock.get())).isTrue();
        assertThat(IntStream.range(0, 2).mapToObj(i -> pick(selector))).contains("10.0.0.1:80");

        selector.connectFailed(a); // still failing after the cool-down: out again at once
        assertThat(a.selectable(clock.get())).isFalse();
        assertThat(a.ejectedUntil(clock.get())).isEqualTo(clock.get() + Duration.ofSeconds(30).toNanos());
    }

    @Test
    void successResetsTheCountAndEndsAnEjection() {
        UpstreamSelector selector = ejectingAfter(2, A, B);
        UpstreamState a = selector.upstreams().get(0);

        selector.connectFailed(a);
        selector.connectSucceeded(a);
        selector.connectFailed(a);
        assertThat(a.selectable(clock.get())).isTrue();
        selector.connectFailed(a);
        assertThat(a.selectable(clock.get())).isFalse();
        selector.connectSucceeded(a); // a connect begun before the ejection got through
        assertThat(a.selectable(clock.get())).isTrue();
        assertThat(a.ejectedUntil(clock.get())).isEqualTo(UpstreamState.NOT_EJECTED);
    }

    @Test
    void zeroFailuresNeverEjects() {
        UpstreamSelector selector = ejectingAfter(0, A);
        UpstreamState a = selector.upstreams().get(0);

        IntStream.range(0, 100).forEach(i -> selector.connectFailed(a));

        assertThat(a.selectable(clock.get())).isTrue();
    }

    @Test
    void upstreamFailingItsChecksIsNotPickedAndNoneSelectableGivesNull() {
        UpstreamSelector selector = selector(TestRoutes.route("r", A, B));
        selector.upstreams().get(1).checksPassing(false);

        assertThat(IntStream.range(0, 3).mapToObj(i -> pick(selector))).containsOnly("10.0.0.1:80");

        selector.upstreams().get(0).checksPassing(false);
        assertThat(selector.pick(new boolean[2])).isNull();
        assertThat(selector.noneSelectable()).hasMessageContaining("route r: no upstream selectable");
    }

    /** A selector that ejects an upstream for 30 s after {@code failures} failed connects in a row (0: never). */
    private UpstreamSelector ejectingAfter(int failures, HostPort... upstreams) {
        return selector(TestRoutes.withHealth(TestRoutes.route("r", upstreams), RouteConfig.EACH_UPSTREAM,
                new EjectionConfig(failures, Duration.ofSeconds(30)), TestRoutes.healthChecksOff()));
    }

    private UpstreamSelector selector(RouteConfig route) {
        return new UpstreamSelector(route, clock::get, () -> new SplittableRandom(1));
    }

    private static String pick(UpstreamSelector selector) {
        return selector.pick(new boolean[selector.upstreams().size()]).toString();
    }

    static List<UpstreamState> states(Balance balance, int... weights) {
        HostPort[] upstreams = IntStream.range(0, weights.length)
                .mapToObj(i -> new HostPort("10.0.0." + (i + 1), 80)).toArray(HostPort[]::new);
        RouteConfig route = TestRoutes.withBalance(TestRoutes.route("r", upstreams), balance,
                IntStream.of(weights).boxed().toArray(Integer[]::new));
        return new UpstreamSelector(route).upstreams();
    }
}
