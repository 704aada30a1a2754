package dev.linger.app.admin;

import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linger.proxy.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's metrics as Prometheus itself sees them: {@code promtool} checks the exposition, the alert
 * rules and the scrape configs, then a real Prometheus (Debian's {@code prometheus} package, on
 * loopback) scrapes a running proxy until the expected count shows in its query API, evaluates the alert
 * rules, and accepts every query of the Grafana dashboard.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PrometheusIT {

    private static final Duration PROMETHEUS_WAIT = Duration.ofSeconds(60);
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SESSIONS = 3;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void promtoolFindsNothingWrongWithTheProxysMetrics() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            runSessions(proxy.port("web"));
            String exposition = proxy.admin.get("/metrics").body();

            Tools.Run check = Tools.run(exposition, Tools.tool("promtool").toString(), "check", "metrics");

            // Status 1 is a parse error; 3 is lint findings, which Micrometer's JVM and Netty binders have
            // (e.g. system_cpu_count's suffix) and we do not own. Ours must have none.
            assertThat(check.status()).as("promtool check metrics: %s", check.output()).isIn(0, 3);
            assertThat(check.output().lines()).as("promtool check metrics").noneMatch(line -> line.startsWith("proxy_"));
        }
    }

    @Test
    void promtoolAcceptsTheAlertRulesAndTheComposeScrapeConfig() throws Exception {
        String promtool = Tools.tool("promtool").toString();

        Tools.Run rules = Tools.run("", promtool, "check", "rules", Tools.docker("prometheus/alerts.yml").toString());
        Tools.Run config = Tools.run("", promtool, "check", "config",
                Tools.docker("prometheus/prometheus.yml").toString());

        assertThat(rules.status()).as("promtool check rules: %s", rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS");
        assertThat(config.status()).as("promtool check config: %s", config.output()).isZero();
    }

    @Test
    void prometheusScrapesTheProxyAndQueriesItsCounters() throws Exception {
        Path prometheusBinary = Tools.tool("prometheus");
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            runSessions(proxy.port("web"));
            Path config = writeScrapeConfig(proxy.adminAddress().getPort());
            Tools.Run check = Tools.run("", Tools.tool("promtool").toString(), "check", "config", config.toString());
            assertThat(check.status()).as("promtool check config: %s", check.output()).isZero();

            int port = freePort();
            Path log = dir.resolve("prometheus.log");
            Process prometheus = new ProcessBuilder(prometheusBinary.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");

                await().atMost(PROMETHEUS_WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(prometheus.isAlive()).as("prometheus running; log: %s", read(log)).isTrue();
                            JsonNode result = query(api,
                                    "proxy_connections_closed_total{route=\"web\",trigger=\"client-fin\",path=\"graceful\"}");
                            assertThat(result).hasSize(1);
                            assertThat(result.get(0).get("value").get(1).asText()).isEqualTo(Integer.toString(SESSIONS));
                        });
                assertThat(query(api, "proxy_connections_accepted_total{route=\"web\"}").get(0).get("value").get(1).asText())
                        .isEqualTo(Integer.toString(SESSIONS));
                assertThat(query(api, "count(proxy_connections_closed_total{route=\"web\"})").get(0).get("value").get(1)
                        .asText()).isEqualTo("33");

                // The alert rules load and evaluate against these series without an error.
                await().atMost(PROMETHEUS_WAIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> {
                            List<JsonNode> rules = new ArrayList<>();
                            get(api.resolve("rules")).get("data").get("groups")
                                    .forEach(group -> group.get("rules").forEach(rules::add));
                            assertThat(rules).hasSize(4).allSatisfy(rule -> assertThat(rule.get("health").asText())
                                    .as("rule %s: %s", rule.get("name"), rule.get("lastError")).isEqualTo("ok"));
                        });

                // Every query of the dashboard is valid PromQL against the real series.
                for (String expr : DashboardQueries.expressions()) {
                    String concrete = expr.replace("$route", "web").replace("$__rate_interval", "1m");
                    JsonNode answer = get(api.resolve("query?query=" + URLEncoder.encode(concrete, StandardCharsets.UTF_8)));
                    assertThat(answer.get("status").asText()).as("%s: %s", concrete, answer).isEqualTo("success");
                }
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A loopback variant of docker/prometheus/prometheus.yml: the test proxy's admin port, scraped every second. */
    private Path writeScrapeConfig(int adminPort) throws IOException {
        return Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: linger
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(Tools.docker("prometheus/alerts.yml"), adminPort));
    }

    private JsonNode query(URI api, String promql) throws IOException, InterruptedException {
        JsonNode answer = get(api.resolve("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        assertThat(answer.get("status").asText()).as("%s: %s", promql, answer).isEqualTo("success");
        return answer.get("data").get("result");
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** {@value #SESSIONS} sessions that end with the client's FIN: trigger client-fin, path graceful. */
    private static void runSessions(int port) throws IOException {
        for (int i = 0; i < SESSIONS; i++) {
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write(PING);
                client.shutdownOutput();
                assertThat(client.getInputStream().readAllBytes()).isEqualTo(PING);
            }
        }
    }


    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
