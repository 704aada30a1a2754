package dev.linger.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.MetricNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

/** A proxy started for a test, with its meters in a registry the test reads. */
public final class RunningProxy implements AutoCloseable {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProxyServer server;

    public RunningProxy(ProxyConfig config) throws Exception {
        this.server = ProxyServer.start(config, registry);
    }

    public ProxyServer server() {
        return server;
    }

    public SimpleMeterRegistry registry() {
        return registry;
    }

    /** A client connected to {@code route}'s listener. */
    public Socket connect(String route) throws IOException {
        return new Socket("127.0.0.1", server.boundAddress(route).getPort());
    }

    public int port(String route) {
        return server.boundAddress(route).getPort();
    }

    /**
     * Waits until the route has no live session and exactly {@code expected} sessions ended, each on the
     * given "trigger/path" series, then checks the gauges are back to zero.
     */
    public void awaitEnded(String route, Map<String, Long> expected) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(server.liveSessions(route)).isZero();
            assertThat(Meters.closedSeries(registry, route)).isEqualTo(expected);
        });
        assertThat(Meters.gauge(registry, MetricNames.CONNECTIONS_ACTIVE, route)).isZero();
        assertThat(Meters.gauge(registry, MetricNames.CONNECTIONS_DRAINING, route)).isZero();
    }

    /** "trigger/path" as {@link #awaitEnded} expects it. */
    public static String series(Trigger trigger, TeardownPath path) {
        return trigger.key() + "/" + path.key();
    }

    @Override
    public void close() {
        server.close();
    }
}
