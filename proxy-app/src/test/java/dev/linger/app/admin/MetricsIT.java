package dev.linger.app.admin;

import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.RefusingPort;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What {@code GET /metrics} says after a scripted mix of sessions, series by series: every route's
 * trigger x path counters exist at zero from the start, each session is counted exactly once on its
 * trigger and path, the byte counters match the bytes sent, and the gauges are back at zero.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    private static final String CLOSED = "proxy_connections_closed_total";

    @Test
    void everyRouteHasEveryTriggerAndPathSeriesAtZeroFromTheStart() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = RunningProxy.start(route("a", upstream.address()), route("b", upstream.address()))) {
            Exposition exposition = proxy.admin.scrape();

            assertThat(exposition.type(CLOSED)).isEqualTo("counter");
            for (String route : List.of("a", "b")) {
                List<Exposition.Sample> closed = exposition.samples(CLOSED).stream()
                        .filter(sample -> sample.labels().get("route").equals(route)).toList();
                assertThat(closed).hasSize(Trigger.values().length * TeardownPath.values().length);
                for (Trigger trigger : Trigger.values()) {
                    for (TeardownPath path : TeardownPath.values()) {
                        assertThat(exposition.value(CLOSED, closedLabels(route, trigger, path))).isZero();
                    }
                }
                assertThat(exposition.value("proxy_connections_accepted_total", Map.of("route", route))).isZero();
                assertThat(exposition.value("proxy_connections_active", Map.of("route", route))).isZero();
                assertThat(exposition.value("proxy_connections_draining", Map.of("route", route))).isZero();
                assertThat(exposition.value("proxy_upstream_connect_failures_total",
                        Map.of("route", route, "upstream", upstream.address().toString()))).isZero();
                for (String direction : List.of("upstream", "downstream")) {
                    Map<String, String> labels = Map.of("route", route, "direction", direction);
                    assertThat(exposition.value("proxy_bytes_total", labels)).isZero();
                    assertThat(exposition.value("proxy_bytes_discarded_total", labels)).isZero();
                }
                for (TeardownPath path : TeardownPath.values()) {
                    Map<String, String> labels = Map.of("route", route, "path", path.key());
                    assertThat(exposition.value("proxy_session_duration_seconds_count", labels)).isZero();
                    assertThat(exposition.value("proxy_teardown_duration_seconds_count", labels)).isZero();
                }
            }
        }
    }

    @Test
    void timersPublishHistogramBucketsFromOneMillisecondToOneMinute() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            Exposition exposition = proxy.admin.scrape();

            for (String timer : List.of("proxy_session_duration_seconds", "proxy_teardown_duration_seconds")) {
                assertThat(exposition.type(timer)).isEqualTo("histogram");
                List<String> bounds = exposition.samples(timer + "_bucket").stream()
                        .filter(sample -> sample.labels().get("path").equals("graceful"))
                        .map(sample -> sample.labels().get("le")).toList();
                assertThat(bounds).startsWith("0.001").endsWith("60.0", "+Inf").hasSize(15);
            }
        }
    }

    @Test
    void jvmNettyAndEventLoopMetricsAreExportedBesideTheProxysOwn() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            Exposition exposition = proxy.admin.scrape();

            assertThat(exposition.names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                    "jvm_classes_loaded_classes", "process_uptime_seconds", "system_cpu_count",
                    "netty_allocator_memory_used", "netty_eventexecutor_tasks_pending");
            List<Exposition.Sample> loops = exposition.samples("netty_eventexecutor_tasks_pending");
            assertThat(loops).filteredOn(sample -> "admin".equals(sample.labels().get("group"))).singleElement()
                    .satisfies(loop -> assertThat(loop.labels().get("name")).startsWith("linger-admin"));
            assertThat(loops).filteredOn(sample -> "relay".equals(sample.labels().get("group")))
                    .hasSize(2) // TestRoutes.proxy: two event loops
                    .allSatisfy(loop -> assertThat(loop.labels().get("name")).startsWith("linger-io"));
        }
    }

    @Test
    void aScriptedMixOfSessionsIsCountedExactlyOnEachSeries() throws Exception {
        RouteConfig echoRoute;
        RouteConfig idleRoute;
        try (RefusingPort nowhere = RefusingPort.open();
                ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO)) {
            echoRoute = route("echo", upstream.address());
            RouteConfig base = route("idle", upstream.address());
            idleRoute = withLimits(base, Duration.ofMillis(300), base.maxDuration(), base.maxConnections());
            try (RunningProxy proxy = RunningProxy.start(echoRoute, idleRoute, route("down", nowhere.address()))) {
                Map<List<String>, Double> expected = new HashMap<>();
                long echoBytes = 0;

                // Three sessions the client ends with FIN after its bytes came back: client-fin, graceful.
                for (int i = 0; i < 3; i++) {
                    int size = 10_000 + i;
                    echoBytes += size;
                    try (Socket client = connect(proxy.port("echo"))) {
                        String sent = Wire.writeRandom(client.getOutputStream(), size, i);
                        client.shutdownOutput();
                        Wire.Received back = Wire.readToEnd(client.getInputStream());
                        assertThat(back.end()).isEqualTo(End.FIN);
                        assertThat(back.sha256()).isEqualTo(sent);
                    }
                }
                expected.put(List.of("echo", "client-fin", "graceful"), 3.0);

                // One session the client resets: client-rst, abort (the route's default override).
                try (Socket client = connect(proxy.port("echo"))) {
                    pingPong(client);
                    client.setSoLinger(true, 0);
                }
                echoBytes += PING.length;
                expected.put(List.of("echo", "client-rst", "abort"), 1.0);
                await().atMost(WAIT).until(() -> proxy.process.server().liveSessions("echo") == 0);

                // One session an operator aborts: admin, abort.
                try (Socket client = connect(proxy.port("echo"))) {
                    pingPong(client);
                    assertThat(proxy.admin.post("/routes/echo/abort").body()).contains("\"sessions\":1");
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                }
                echoBytes += PING.length;
                expected.put(List.of("echo", "admin", "abort"), 1.0);

                // One session left idle: idle-timeout, and graceful (the proxy half-closes, we answer the FIN).
                try (Socket client = connect(proxy.port("idle"))) {
                    pingPong(client);
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
                }
                expected.put(List.of("idle", "idle-timeout", "graceful"), 1.0);

                // One session whose upstream refuses: connect-failed, graceful (the client gets FIN).
                try (Socket client = connect(proxy.port("down"))) {
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
                }
                expected.put(List.of("down", "connect-failed", "graceful"), 1.0);

                await().atMost(WAIT).untilAsserted(() -> {
                    Exposition exposition = proxy.admin.scrape();
                    assertThat(exposition.samples(CLOSED).stream().mapToDouble(Exposition.Sample::value).sum())
                            .isEqualTo(7);
                    for (String route : List.of("echo", "idle", "down")) {
                        assertThat(exposition.value("proxy_connections_active", Map.of("route", route))).isZero();
                        assertThat(exposition.value("proxy_connections_draining", Map.of("route", route))).isZero();
                    }
                });
                Exposition exposition = proxy.admin.scrape();

                for (String route : List.of("echo", "idle", "down")) {
                    for (Trigger trigger : Trigger.values()) {
                        for (TeardownPath path : TeardownPath.values()) {
                            assertThat(exposition.value(CLOSED, closedLabels(route, trigger, path)))
                                    .as("%s %s %s", route, trigger, path)
                                    .isEqualTo(expected.getOrDefault(List.of(route, trigger.key(), path.key()), 0.0));
                        }
                    }
                }
                assertThat(exposition.value("proxy_connections_accepted_total", Map.of("route", "echo"))).isEqualTo(5);
                assertThat(exposition.value("proxy_connections_accepted_total", Map.of("route", "idle"))).isEqualTo(1);
                assertThat(exposition.value("proxy_connections_accepted_total", Map.of("route", "down"))).isEqualTo(1);
                assertBytes(exposition, "echo", echoBytes);
                assertBytes(exposition, "idle", PING.length);
                assertBytes(exposition, "down", 0);
                assertThat(exposition.value("proxy_upstream_connect_failures_total",
                        Map.of("route", "down", "upstream", nowhere.address().toString()))).isEqualTo(1);
                assertThat(exposition.value("proxy_upstream_connect_failures_total",
                        Map.of("route", "echo", "upstream", upstream.address().toString()))).isZero();
                // Durations: one observation per session, on the path it ended on.
                assertDurations(exposition, "echo", TeardownPath.GRACEFUL, 3);
                assertDurations(exposition, "echo", TeardownPath.ABORT, 2);
                assertDurations(exposition, "idle", TeardownPath.GRACEFUL, 1);
                assertDurations(exposition, "down", TeardownPath.GRACEFUL, 1);
                assertDurations(exposition, "echo", TeardownPath.LINGER_TIMEOUT, 0);
            }
        }
    }

    private static void assertBytes(Exposition exposition, String route, long each) {
        for (String direction : List.of("upstream", "downstream")) {
            Map<String, String> labels = Map.of("route", route, "direction", direction);
            assertThat(exposition.value("proxy_bytes_total", labels)).as("%s %s", route, direction).isEqualTo(each);
            // Nothing was held for a peer when these sessions ended, so nothing was thrown away.
            assertThat(exposition.value("proxy_bytes_discarded_total", labels)).isZero();
        }
    }

    private static void assertDurations(Exposition exposition, String route, TeardownPath path, int count) {
        Map<String, String> labels = Map.of("route", route, "path", path.key());
        for (String timer : List.of("proxy_session_duration_seconds", "proxy_teardown_duration_seconds")) {
            assertThat(exposition.value(timer + "_count", labels)).as("%s %s", timer, labels).isEqualTo(count);
            Map<String, String> inf = new HashMap<>(labels);
            inf.put("le", "+Inf");
            assertThat(exposition.value(timer + "_bucket", inf)).isEqualTo(count);
        }
    }

    private static Map<String, String> closedLabels(String route, Trigger trigger, TeardownPath path) {
        return Map.of("route", route, "trigger", trigger.key(), "path", path.key());
    }

    private static Socket connect(int port) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
        client.setSoTimeout((int) WAIT.toMillis());
        return client;
    }

    private static void pingPong(Socket client) throws IOException {
        client.getOutputStream().write(PING);
        assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
    }
}
