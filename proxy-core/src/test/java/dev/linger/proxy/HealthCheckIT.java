package dev.linger.proxy;

import static dev.linger.proxy.BalancingIT.failures;
import static dev.linger.proxy.BalancingIT.healthy;
import static dev.linger.proxy.BalancingIT.named;
import static dev.linger.proxy.BalancingIT.routeOf;
import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withHealth;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.EjectionConfig;
import dev.linger.proxy.config.HealthCheckConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.testing.RefusingPort;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.upstream.UpstreamHealth;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Active TCP health checks on real loopback sockets, on every transport this machine has. */
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthCheckIT {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int RISE = 2;
    private static final int FALL = 3;

    @Parameter
    TransportKind transport;

    static List<TransportKind> transports() {
        return TestRoutes.availableTransports();
    }

    @Test
    void downUpstreamIsOutAfterFallChecksAndBackWithinRiseChecksOnceItListens() throws Exception {
        RefusingPort refusing = RefusingPort.open();
        HostPort down = refusing.address();
        try (refusing; ScriptedUpstream live = named('l')) {
            long started = System.nanoTime();
            RunningProxy proxy = new RunningProxy(proxy(transport, withHealth(route("checked", down, live.address()),
                    RouteConfig.EACH_UPSTREAM, new EjectionConfig(0, Duration.ofMinutes(5)),
                    new HealthCheckConfig(INTERVAL, Duration.ofSeconds(1), RISE, FALL))));
            boolean closed = false;
            try {
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                        .until(() -> healthy(proxy, "checked", down) == 0);
                // The first check runs at start, so the fall-th fails (fall - 1) intervals later.
                assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(INTERVAL.multipliedBy(FALL - 1).toNanos());
                assertThat(healthy(proxy, "checked", live.address())).isEqualTo(1);
                UpstreamHealth health = routeOf(proxy, "checked").upstreamHealth().get(0);
                assertThat(health.checksPassing()).isFalse();
                assertThat(health.healthy()).isFalse();
                assertThat(health.ejectedUntil()).isEmpty();

                for (int i = 0; i < 10; i++) {
                    assertThat(landOn(proxy)).isEqualTo('l');
                }
                assertThat(failures(proxy, "checked", down)).as("sessions sent to the unhealthy upstream").isZero();

                refusing.close(); // the port is free for the upstream that comes back
                try (ScriptedUpstream revived = ScriptedUpstream.start(down.port(), socket -> {
                            socket.getOutputStream().write('r');
                            Wire.drain(socket.getInputStream());
                        })) {
                    long listening = System.nanoTime();
                    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                            .until(() -> healthy(proxy, "checked", down) == 1);
                    // rise passes need rise checks, at most one interval apart, the first within one interval;
                    // the rest is slack for a busy machine.
                    assertThat(System.nanoTime() - listening)
                            .isLessThan(INTERVAL.multipliedBy(RISE).plusMillis(400).toNanos());

                    List<Character> landed = new ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        landed.add(landOn(proxy));
                    }
                    assertThat(landed).containsExactlyInAnyOrder('r', 'r', 'l', 'l');

                    // Closing the proxy stops its checks.
                    proxy.close();
                    closed = true;
                    int checks = revived.accepted();
                    await().during(INTERVAL.multipliedBy(4)).atMost(INTERVAL.multipliedBy(6))
                            .until(() -> revived.accepted() == checks);
                }
            } finally {
                if (!closed) {
                    proxy.close();
                }
            }
        }
    }

    @Test
    void healthyUpstreamsStayHealthyAndNoChecksRunWhenOff() throws Exception {
        try (ScriptedUpstream checked = named('c'); ScriptedUpstream unchecked = named('u');
                RunningProxy proxy = new RunningProxy(proxy(transport,
                        withHealth(route("on", checked.address()), RouteConfig.EACH_UPSTREAM,
                                new EjectionConfig(5, Duration.ofSeconds(30)),
                                new HealthCheckConfig(INTERVAL, Duration.ofSeconds(1), RISE, FALL)),
                        route("off", unchecked.address())))) {
            await().atMost(Duration.ofSeconds(3)).until(() -> checked.accepted() >= FALL + 1);

            assertThat(healthy(proxy, "on", checked.address())).isEqualTo(1);
            assertThat(unchecked.accepted()).isZero();
            assertThat(healthy(proxy, "off", unchecked.address())).isEqualTo(1);
            assertThat(proxy.server().openChannels()).as("check channels are not session channels").isZero();
        }
    }

    private static char landOn(RunningProxy proxy) throws IOException {
        try (Socket client = proxy.connect("checked")) {
            int name = client.getInputStream().read();
            assertThat(name).as("first byte from the upstream").isNotNegative();
            return (char) name;
        }
    }
}
