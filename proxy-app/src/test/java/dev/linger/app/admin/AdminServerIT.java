package dev.linger.app.admin;

import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linger.app.ProxyProcess;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.AdminConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin listener over real HTTP on loopback, in front of real routes with real sessions: each call,
 * each error status, the token rules, a malformed request line on a raw socket, abort and drain as the
 * clients see them (RST, FIN), readiness while stopping, and an admin address that cannot bind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminServerIT {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    /** Greets with {@code greeting}, then reads until the session ends. */
    private static ScriptedUpstream upstream(byte[] greeting) throws IOException {
        return ScriptedUpstream.start(socket -> {
            socket.getOutputStream().write(greeting);
            Wire.readToEnd(socket.getInputStream());
        });
    }

    private static Socket connect(int port) throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
        client.setSoTimeout((int) WAIT.toMillis());
        return client;
    }

    /** A client through {@code port} that has read the upstream's greeting, so its session is live. */
    private static Socket client(int port, byte[] greeting) throws IOException {
        Socket client = connect(port);
        assertThat(client.getInputStream().readNBytes(greeting.length)).isEqualTo(greeting);
        return client;
    }

    @Test
    void healthReadinessAndMetricsAnswerGet() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING); RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            HttpResponse<String> healthz = proxy.admin.get("/healthz");
            HttpResponse<String> readyz = proxy.admin.get("/readyz");
            HttpResponse<String> metrics = proxy.admin.get("/metrics");

            assertThat(healthz.statusCode()).isEqualTo(200);
            assertThat(healthz.body()).isEqualTo("ok\n");
            assertThat(readyz.statusCode()).isEqualTo(200);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(Exposition.parse(metrics.body()).value("proxy_connections_active", Map.of("route", "web")))
                    .isZero();
        }
    }

    @Test
    void routesListsEveryRouteWithItsSettingsAndLiveSessions() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start(
                        route("cache", Policy.ABORT, Duration.ofMillis(1500), Map.of(Trigger.UPSTREAM_FIN, Policy.GRACEFUL),
                                upstream.address(), new HostPort("localhost", 6379)),
                        route("web", upstream.address()));
                Socket client = client(proxy.port("web"), PING)) {
            HttpResponse<String> response = proxy.admin.get("/routes");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode routes = new ObjectMapper().readTree(response.body()).get("routes");
            assertThat(routes).hasSize(2);
            JsonNode cache = routes.get(0);
            assertThat(cache.get("name").asText()).isEqualTo("cache");
            assertThat(cache.get("listen").asText()).isEqualTo("127.0.0.1:0");
            assertThat(cache.get("bound").asText()).isEqualTo("127.0.0.1:" + proxy.port("cache"));
            assertThat(cache.get("upstreams")).extracting(JsonNode::asText)
                    .containsExactly(upstream.address().toString(), "localhost:6379");
            assertThat(cache.get("teardown").get("policy").asText()).isEqualTo("abort");
            assertThat(cache.get("teardown").get("linger-timeout").asText()).isEqualTo("1500ms");
            assertThat(cache.get("teardown").get("on").toString())
                    .isEqualTo("{\"upstream-fin\":\"graceful\",\"client-rst\":\"abort\",\"upstream-rst\":\"abort\"}");
            assertThat(cache.get("live-sessions").asInt()).isZero();
            JsonNode web = routes.get(1);
            assertThat(web.get("name").asText()).isEqualTo("web");
            assertThat(web.get("teardown").get("policy").asText()).isEqualTo("graceful");
            assertThat(web.get("live-sessions").asInt()).isEqualTo(1);
        }
    }

    @Test
    void abortResetsEveryLiveSessionOfTheRouteAndSaysHowMany() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()));
                Socket first = client(proxy.port("web"), PING);
                Socket second = client(proxy.port("web"), PING)) {
            HttpResponse<String> response = proxy.admin.post("/routes/web/abort");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(response.body()).get("sessions").asInt()).isEqualTo(2);
            assertThat(Wire.readToEnd(first.getInputStream()).end()).isEqualTo(End.RST);
            assertThat(Wire.readToEnd(second.getInputStream()).end()).isEqualTo(End.RST);
            await().atMost(WAIT).untilAsserted(() -> assertThat(proxy.admin.scrape().value(
                    "proxy_connections_closed_total", Map.of("route", "web", "trigger", "admin", "path", "abort")))
                    .isEqualTo(2));
        }
    }

    @Test
    void drainEndsLiveSessionsWithFin() throws Exception {
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end());
                });
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()));
                Socket client = client(proxy.port("web"), PING)) {
            HttpResponse<String> response = proxy.admin.post("/routes/web/drain");

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = new ObjectMapper().readTree(response.body());
            assertThat(answer.get("sessions").asInt()).isEqualTo(1);
            assertThat(answer.get("action").asText()).isEqualTo("drain");
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            assertThat(upstreamSaw.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(End.FIN);
            client.close(); // our FIN: the session drained both ways
            await().atMost(WAIT).untilAsserted(() -> assertThat(proxy.admin.scrape().value(
                    "proxy_connections_closed_total", Map.of("route", "web", "trigger", "admin", "path", "graceful")))
                    .isEqualTo(1));
        }
    }

    @Test
    void upstreamParameterLimitsAnAbortToThatUpstreamsSessions() throws Exception {
        try (ScriptedUpstream a = upstream("A\n".getBytes(StandardCharsets.US_ASCII));
                ScriptedUpstream b = upstream("B\n".getBytes(StandardCharsets.US_ASCII));
                RunningProxy proxy = RunningProxy.start(route("web", a.address(), b.address()));
                Socket first = connect(proxy.port("web"));
                Socket second = connect(proxy.port("web"))) {
            // Round-robin sends one session to each upstream; the greeting tells which went where.
            String firstGreeting = new String(first.getInputStream().readNBytes(2), StandardCharsets.US_ASCII);
            String secondGreeting = new String(second.getInputStream().readNBytes(2), StandardCharsets.US_ASCII);
            assertThat(List.of(firstGreeting, secondGreeting)).containsExactlyInAnyOrder("A\n", "B\n");
            Socket onA = firstGreeting.equals("A\n") ? first : second;

            HttpResponse<String> response = proxy.admin.post("/routes/web/abort?upstream=" + a.address());

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = new ObjectMapper().readTree(response.body());
            assertThat(answer.get("sessions").asInt()).isEqualTo(1);
            assertThat(answer.get("upstream").asText()).isEqualTo(a.address().toString());
            assertThat(Wire.readToEnd(onA.getInputStream()).end()).isEqualTo(End.RST);
            await().atMost(WAIT).until(() -> proxy.process.server().liveSessions("web") == 1);
        }
    }

    @Test
    void errorsAreOneLineWithTheirStatus() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING); RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            assertStatusAndOneLine(proxy.admin.get("/nope"), 404);
            assertStatusAndOneLine(proxy.admin.post("/routes/nope/abort"), 404);
            assertStatusAndOneLine(proxy.admin.post("/routes/web/abort?upstream=nonsense"), 400);
            HttpResponse<String> reload = proxy.admin.post("/reload");
            assertThat(reload.statusCode()).isEqualTo(422); // a result, in JSON: this proxy has no file to reload
            assertThat(reload.body()).hasLineCount(1).startsWith("{\"result\":\"failure\"");
            HttpResponse<String> wrongMethod = proxy.admin.send("DELETE", "/metrics", HttpRequest.BodyPublishers.noBody());
            assertStatusAndOneLine(wrongMethod, 405);
            assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
            HttpResponse<String> getOfPost = proxy.admin.get("/routes/web/abort");
            assertStatusAndOneLine(getOfPost, 405);
            assertThat(getOfPost.headers().firstValue("allow")).hasValue("POST");
        }
    }

    @Test
    void bodyOverTheLimitIs413AndASmallOneIsAccepted() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING); RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            HttpResponse<String> large = proxy.admin.send("POST", "/reload",
                    HttpRequest.BodyPublishers.ofByteArray(new byte[AdminInitializer.MAX_BODY_BYTES + 1]));
            HttpResponse<String> small = proxy.admin.send("POST", "/reload",
                    HttpRequest.BodyPublishers.ofString("{}"));

            assertStatusAndOneLine(large, 413);
            assertThat(large.body()).isEqualTo("request body over 4096 bytes (expected: no body)\n");
            assertThat(small.statusCode()).as("a small body reaches the call").isEqualTo(422);
        }
    }

    @Test
    void malformedRequestLineIs400AndTheConnectionCloses() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()));
                Socket raw = new Socket(InetAddress.getLoopbackAddress(), proxy.adminAddress().getPort())) {
            raw.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = raw.getOutputStream();
            out.write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // to EOF

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").containsIgnoringCase("connection: close\r\n");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            assertThat(body).startsWith("malformed request").hasLineCount(1).doesNotContain("Exception");
        }
    }

    @Test
    void keepAliveConnectionServesSeveralRequests() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()));
                Socket raw = new Socket(InetAddress.getLoopbackAddress(), proxy.adminAddress().getPort())) {
            raw.setSoTimeout((int) WAIT.toMillis());
            raw.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /readyz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            String answers = new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

            assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(3);
            assertThat(answers).endsWith("ready\n");
        }
    }

    @Test
    void withATokenPostNeedsItAndGetStaysOpen() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start("s3cret", route("web", upstream.address()))) {
            HttpResponse<String> without = proxy.admin.post("/routes/web/abort");
            HttpResponse<String> wrong = proxy.admin.post("/routes/web/abort", "Bearer s3cre");
            HttpResponse<String> right = proxy.admin.post("/routes/web/abort", "Bearer s3cret");

            assertStatusAndOneLine(without, 401);
            assertThat(without.headers().firstValue("www-authenticate")).hasValueSatisfying(
                    challenge -> assertThat(challenge).startsWith("Bearer"));
            assertStatusAndOneLine(wrong, 403);
            assertThat(right.statusCode()).isEqualTo(200);
            assertThat(proxy.admin.post("/reload", "Bearer s3cret").statusCode()).isEqualTo(422);
            assertThat(proxy.admin.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(proxy.admin.get("/routes").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readyzIs503WhileStoppingAndTheAdminListenerClosesLast() throws Exception {
        try (ScriptedUpstream upstream = upstream(PING);
                RunningProxy proxy = RunningProxy.start(
                        route("web", Policy.GRACEFUL, Duration.ofSeconds(20), Map.of(), upstream.address()));
                Socket client = client(proxy.port("web"), PING)) {
            assertThat(proxy.admin.get("/readyz").statusCode()).isEqualTo(200);

            // The session holds the stop: the proxy half-closes it and waits for our FIN.
            CompletableFuture<Void> closed = CompletableFuture.runAsync(proxy.process::close);

            await().atMost(WAIT).until(() -> proxy.admin.get("/readyz").statusCode() == 503);
            assertThat(proxy.admin.get("/readyz").body()).isEqualTo("draining\n");
            assertThat(proxy.admin.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            client.close();
            closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.adminAddress().getPort()).close())
                    .as("the admin listener is closed").isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void adminAddressThatCannotBindFailsTheStartWithOneLineAndLeavesNothingRunning() throws Exception {
        int routePort = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RouteConfig web = TestRoutes.route("web", new HostPort("127.0.0.1", 9));
            web = TestRoutes.withListen(web, new HostPort("127.0.0.1", routePort));
            ProxyConfig base = TestRoutes.proxy(web);
            ProxyConfig config = base.withAdmin(
                    new AdminConfig(Optional.of(new HostPort("127.0.0.1", taken.getLocalPort())), ""));

            assertThatThrownBy(() -> ProxyProcess.start(config))
                    .isInstanceOf(ProxyStartException.class)
                    .hasMessageStartingWith("proxy.admin.listen: '127.0.0.1:" + taken.getLocalPort() + "' (expected: ")
                    .hasMessageNotContaining("\n");
        }
        try (ServerSocket again = new ServerSocket(routePort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the route's listener was closed").isEqualTo(routePort);
        }
        await().atMost(WAIT).until(() -> lingerThreads().isEmpty());
    }

    private static List<String> lingerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("linger-io") || name.startsWith("linger-admin")).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void assertStatusAndOneLine(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("status of %s: %s", response.request().uri(), response.body())
                .isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.body()).hasLineCount(1).endsWith("\n").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
