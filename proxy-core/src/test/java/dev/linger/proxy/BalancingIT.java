package dev.linger.proxy;

import static dev.linger.proxy.testing.RunningProxy.series;
import static dev.linger.proxy.testing.TestRoutes.healthChecksOff;
import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withBalance;
import static dev.linger.proxy.testing.TestRoutes.withHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.Balance;
import dev.linger.proxy.config.EjectionConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.MetricNames;
import dev.linger.proxy.route.Route;
import dev.linger.proxy.testing.RefusingPort;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import dev.linger.proxy.upstream.UpstreamHealth;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Balancing, retries and passive ejection on real loopback sockets, on every transport this machine
 * has. Each upstream names itself with one byte when it accepts, so a client knows where it landed.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BalancingIT {

    private static final Duration LONG_COOL_DOWN = Duration.ofMinutes(5);

    @Parameter
    TransportKind transport;

    static List<TransportKind> transports() {
        return TestRoutes.availableTransports();
    }

    @Test
    void roundRobinSpreadsSessionsExactlyEvenlyAndByWeight() throws Exception {
        try (ScriptedUpstream a = named('a'); ScriptedUpstream b = named('b'); ScriptedUpstream c = named('c');
                RunningProxy proxy = start(route("even", a.address(), b.address(), c.address()),
                        withBalance(route("weighted", a.address(), b.address(), c.address()),
                                Balance.ROUND_ROBIN, 1, 2, 3))) {
            for (int i = 0; i < 300; i++) {
                landOn(proxy, "even");
            }
            awaitAccepted(300, a, b, c);
            assertThat(List.of(a.accepted(), b.accepted(), c.accepted())).containsExactly(100, 100, 100);

            for (int i = 0; i < 300; i++) {
                landOn(proxy, "weighted");
            }
            awaitAccepted(600, a, b, c);
            assertThat(List.of(a.accepted(), b.accepted(), c.accepted())).containsExactly(150, 200, 250);
        }
    }

    @Test
    void leastConnectionsSendsNewSessionsToTheUpstreamsWithFewerLiveOnes() throws Exception {
        try (ScriptedUpstream a = named('a'); ScriptedUpstream b = named('b'); ScriptedUpstream c = named('c');
                RunningProxy proxy = start(withBalance(route("lc", a.address(), b.address(), c.address()),
                        Balance.LEAST_CONNECTIONS))) {
            List<Socket> onA = new ArrayList<>();
            List<Socket> elsewhere = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Socket client = proxy.connect("lc");
                (client.getInputStream().read() == 'a' ? onA : elsewhere).add(client);
            }
            assertThat(List.of(a.accepted(), b.accepted(), c.accepted())).containsExactly(10, 10, 10);

            // a keeps its 10 sessions; b and c are emptied.
            for (Socket client : elsewhere) {
                client.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().liveSessions("lc") == 10);
            List<Socket> newer = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Socket client = proxy.connect("lc");
                assertThat(client.getInputStream().read()).isIn((int) 'b', (int) 'c');
                newer.add(client);
            }

            assertThat(List.of(a.accepted(), b.accepted(), c.accepted())).containsExactly(10, 20, 20);
            assertThat(routeOf(proxy, "lc").upstreamHealth()).extracting(UpstreamHealth::sessions)
                    .containsExactly(10, 10, 10);
            for (Socket client : onA) {
                client.close();
            }
            for (Socket client : newer) {
                client.close();
            }
        }
    }

    @Test
    void failedConnectIsRetriedOnTheNextUpstream() throws Exception {
        int sessions = 20;
        try (RefusingPort dead = RefusingPort.open(); ScriptedUpstream live = named('l');
                RunningProxy proxy = start(withHealth(route("retry", dead.address(), live.address()),
                        RouteConfig.EACH_UPSTREAM, new EjectionConfig(0, LONG_COOL_DOWN), healthChecksOff()))) {
            for (int i = 0; i < sessions; i++) {
                assertThat(landOn(proxy, "retry")).isEqualTo('l');
            }

            // Each retry takes the next round-robin slot, so every session's first pick was the dead one.
            assertThat(failures(proxy, "retry", dead.address())).isEqualTo(sessions);
            assertThat(failures(proxy, "retry", live.address())).isZero();
            proxy.awaitEnded("retry", Map.of(series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), (long) sessions));
        }
    }

    @Test
    void withoutRetriesAFailedConnectEndsTheSession() throws Exception {
        try (RefusingPort dead = RefusingPort.open(); ScriptedUpstream live = named('l');
                RunningProxy proxy = start(withHealth(route("once", dead.address(), live.address()),
                        0, new EjectionConfig(0, LONG_COOL_DOWN), healthChecksOff()))) {
            for (int i = 0; i < 10; i++) {
                try (Socket client = proxy.connect("once")) {
                    int first = client.getInputStream().read();
                    assertThat(first).isEqualTo(i % 2 == 0 ? -1 : 'l');
                }
            }

            assertThat(failures(proxy, "once", dead.address())).isEqualTo(5);
            proxy.awaitEnded("once", Map.of(series(Trigger.CONNECT_FAILED, TeardownPath.GRACEFUL), 5L,
                    series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), 5L));
        }
    }

    @Test
    void deadUpstreamGetsNoMoreTriesOnceEjected() throws Exception {
        try (RefusingPort dead = RefusingPort.open(); ScriptedUpstream live = named('l');
                RunningProxy proxy = start(withHealth(route("eject", dead.address(), live.address()),
                        RouteConfig.EACH_UPSTREAM, new EjectionConfig(3, LONG_COOL_DOWN), healthChecksOff()))) {
            assertThat(healthy(proxy, "eject", dead.address())).isEqualTo(1);
            for (int i = 0; i < 60; i++) {
                assertThat(landOn(proxy, "eject")).isEqualTo('l');
            }

            assertThat(failures(proxy, "eject", dead.address())).isEqualTo(3);
            assertThat(live.accepted()).isEqualTo(60);
            assertThat(healthy(proxy, "eject", dead.address())).isZero();
            assertThat(healthy(proxy, "eject", live.address())).isEqualTo(1);
            UpstreamHealth deadHealth = routeOf(proxy, "eject").upstreamHealth().get(0);
            assertThat(deadHealth.upstream()).isEqualTo(dead.address());
            assertThat(deadHealth.healthy()).isFalse();
            assertThat(deadHealth.checksPassing()).isTrue();
            assertThat(deadHealth.ejectedUntil().orElseThrow())
                    .isBetween(Instant.now().plus(LONG_COOL_DOWN).minusSeconds(30), Instant.now().plus(LONG_COOL_DOWN));
            assertThat(routeOf(proxy, "eject").upstreamHealth().get(1).ejectedUntil()).isEmpty();
        }
    }

    @Test
    void routeWithNoSelectableUpstreamFailsNewSessionsAtOnce() throws Exception {
        try (RefusingPort dead = RefusingPort.open();
                RunningProxy proxy = start(withHealth(route("none", dead.address()),
                RouteConfig.EACH_UPSTREAM, new EjectionConfig(1, LONG_COOL_DOWN), healthChecksOff()))) {
            try (Socket client = proxy.connect("none")) {
                assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            }
            assertThat(failures(proxy, "none", dead.address())).isEqualTo(1);

            for (int i = 0; i < 5; i++) {
                try (Socket client = proxy.connect("none")) {
                    long start = System.nanoTime();
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(500);
                }
            }

            assertThat(failures(proxy, "none", dead.address())).as("connects tried").isEqualTo(1);
            proxy.awaitEnded("none", Map.of(series(Trigger.CONNECT_FAILED, TeardownPath.GRACEFUL), 6L));
        }
    }

    private RunningProxy start(RouteConfig... routes) throws Exception {
        return new RunningProxy(proxy(transport, routes));
    }

    /** An upstream that sends {@code name} on accepting, then holds the connection until the client's FIN. */
    static ScriptedUpstream named(char name) throws IOException {
        return ScriptedUpstream.start(socket -> {
            socket.getOutputStream().write(name);
            Wire.drain(socket.getInputStream());
        });
    }

    /** Where a session on {@code route} lands: the name its upstream sent. The session then ends. */
    private static char landOn(RunningProxy proxy, String route) throws IOException {
        try (Socket client = proxy.connect(route)) {
            int name = client.getInputStream().read();
            assertThat(name).as("first byte from the upstream").isNotNegative();
            return (char) name;
        }
    }

    static Route routeOf(RunningProxy proxy, String name) {
        return proxy.server().routes().stream().filter(route -> route.name().equals(name)).findFirst().orElseThrow();
    }

    static double failures(RunningProxy proxy, String route, HostPort upstream) {
        return proxy.registry().get(MetricNames.UPSTREAM_CONNECT_FAILURES)
                .tags(MetricNames.TAG_ROUTE, route, MetricNames.TAG_UPSTREAM, upstream.toString()).counter().count();
    }

    static double healthy(RunningProxy proxy, String route, HostPort upstream) {
        return proxy.registry().get(MetricNames.UPSTREAM_HEALTHY)
                .tags(MetricNames.TAG_ROUTE, route, MetricNames.TAG_UPSTREAM, upstream.toString()).gauge().value();
    }

    private static void awaitAccepted(int total, ScriptedUpstream... upstreams) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            int sum = 0;
            for (ScriptedUpstream upstream : upstreams) {
                sum += upstream.accepted();
            }
            return sum == total;
        });
    }
}
