package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.testing.TestRoutes;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every call and every error of the admin API, without a socket: a stand-in route table records calls. */
class AdminApiTest {

    private static final HostPort A = HostPort.parse("10.0.0.1:80");
    private static final HostPort B = HostPort.parse("10.0.0.2:80");

    private final FakeRoutes routes = new FakeRoutes();
    private final AtomicBoolean ready = new AtomicBoolean(true);

    private AdminApi api(String token) {
        return new AdminApi(routes, () -> "# scrape\n", ready::get, token);
    }

    private Answer call(HttpMethod method, String uri) {
        return api("").handle(method, uri, new DefaultHttpHeaders());
    }

    @Test
    void metricsIsThePrometheusScrapeWithTheTextFormatContentType() {
        Answer answer = call(HttpMethod.GET, "/metrics");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(answer.body()).isEqualTo("# scrape\n");
    }

    @Test
    void healthzIsAlwaysOk() {
        ready.set(false);

        Answer answer = call(HttpMethod.GET, "/healthz");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzFollowsTheReadyFlag() {
        assertThat(call(HttpMethod.GET, "/readyz").status().code()).isEqualTo(200);

        ready.set(false);

        Answer draining = call(HttpMethod.GET, "/readyz");
        assertThat(draining.status().code()).isEqualTo(503);
        assertThat(draining.body()).isEqualTo("draining\n");
    }

    @Test
    void routesIsJsonOfEveryRoute() {
        Answer answer = call(HttpMethod.GET, "/routes");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).startsWith("{\"routes\":[{\"name\":\"web\",").contains("\"live-sessions\":2");
    }

    @Test
    void abortEndsEverySessionOfTheRouteWithAbortAndSaysHowMany() {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"route\":\"web\",\"action\":\"abort\",\"trigger\":\"admin\","
                + "\"policy\":\"abort\",\"upstream\":null,\"sessions\":2}\n");
        assertThat(routes.calls).containsExactly("web abort all");
    }

    @Test
    void drainEndsGracefullyAndTheUpstreamParameterNarrowsIt() {
        Answer answer = call(HttpMethod.POST, "/routes/web/drain?upstream=10.0.0.2:80");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.body()).contains("\"action\":\"drain\"", "\"policy\":\"graceful\"",
                "\"upstream\":\"10.0.0.2:80\"");
        assertThat(routes.calls).containsExactly("web graceful 10.0.0.2:80");
    }

    @Test
    void unknownRouteIs404NamingTheKnownOnes() {
        Answer answer = call(HttpMethod.POST, "/routes/nope/abort");

        assertThat(answer.status().code()).isEqualTo(404);
        assertThat(answer.body()).isEqualTo("no route 'nope' (expected one of: [web])\n");
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void upstreamTheRouteDoesNotHaveIs404() {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort?upstream=10.0.0.9:80");

        assertThat(answer.status().code()).isEqualTo(404);
        assertThat(answer.body()).startsWith("route 'web' has no upstream '10.0.0.9:80'");
        assertThat(routes.calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"upstream=nonsense", "upstream=10.0.0.1:99999", "upstream=", "upstream=%0a%0d"})
    void badUpstreamIs400OnOneLine(String query) {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort?" + query);

        assertThat(answer.status().code()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("text/plain");
        assertThat(answer.body()).startsWith("upstream: '").contains("expected:").hasLineCount(1);
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void misspeltParameterIs400RatherThanAnAbortOfEverySession() {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort?upstrem=10.0.0.1:80");

        assertThat(answer.status().code()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("unknown parameter 'upstrem' (expected: upstream)\n");
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void upstreamTwiceIs400() {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort?upstream=10.0.0.1:80&upstream=10.0.0.2:80");

        assertThat(answer.status().code()).isEqualTo(400);
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void reloadAnswersWhatChanged() {
        AdminApi api = new AdminApi(routes, () -> "", ready::get, "", () -> new Reload(true, List.of("new"),
                List.of("web"), List.of("old"), List.of("db"), List.of("proxy.io-threads"), List.of()));

        Answer answer = api.handle(HttpMethod.POST, "/reload", new DefaultHttpHeaders());

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"result\":\"success\",\"added\":[\"new\"],\"changed\":[\"web\"],"
                + "\"removed\":[\"old\"],\"unchanged\":[\"db\"],\"restart-needed\":[\"proxy.io-threads\"]}\n");
    }

    @Test
    void aFailedReloadIs422WithEveryProblem() {
        AdminApi api = new AdminApi(routes, () -> "", ready::get, "", () -> Reload.failed(List.of(
                "proxy.routes.web.lisen: unknown key (did you mean 'listen'?) at proxy.conf:3", "second \"problem\"")));

        Answer answer = api.handle(HttpMethod.POST, "/reload", new DefaultHttpHeaders());

        assertThat(answer.status().code()).isEqualTo(422);
        assertThat(answer.body()).hasLineCount(1).isEqualTo("{\"result\":\"failure\",\"problems\":["
                + "\"proxy.routes.web.lisen: unknown key (did you mean 'listen'?) at proxy.conf:3\","
                + "\"second \\\"problem\\\"\"]}\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metrics/", "/nope", "/routes/web", "/routes/web/restart", "/routes//abort",
        "/routes/web/abort/now"})
    void unknownPathIs404ListingTheKnownOnes(String path) {
        Answer answer = call(HttpMethod.GET, path);

        assertThat(answer.status().code()).isEqualTo(404);
        assertThat(answer.body()).startsWith("no such path: ").contains("/metrics", "/routes/{name}/abort")
                .hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/healthz", "/readyz", "/routes"})
    void postToAGetPathIs405AllowingGet(String path) {
        Answer answer = call(HttpMethod.POST, path);

        assertThat(answer.status().code()).isEqualTo(405);
        assertThat(answer.headers()).containsEntry("allow", "GET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/routes/web/abort", "/routes/web/drain", "/reload"})
    void getOfAPostPathIs405AllowingPostAndTouchesNothing(String path) {
        Answer answer = call(HttpMethod.GET, path);

        assertThat(answer.status().code()).isEqualTo(405);
        assertThat(answer.headers()).containsEntry("allow", "POST");
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void withATokenAPostWithoutCredentialsIs401WithAChallenge() {
        Answer answer = api("s3cret").handle(HttpMethod.POST, "/routes/web/abort", new DefaultHttpHeaders());

        assertThat(answer.status().code()).isEqualTo(401);
        assertThat(answer.headers().get("www-authenticate")).startsWith("Bearer");
        assertThat(routes.calls).isEmpty();
    }

    @Test
    void withATokenAPostWithAnotherSchemeIs401() {
        Answer answer = api("s3cret").handle(HttpMethod.POST, "/routes/web/abort", auth("Basic czNjcmV0"));

        assertThat(answer.status().code()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer wrong", "Bearer s3cret2", "Bearer ", "Bearer S3CRET"})
    void withATokenAPostWithAWrongOneIs403(String authorization) {
        Answer answer = api("s3cret").handle(HttpMethod.POST, "/routes/web/abort", auth(authorization));

        assertThat(answer.status().code()).isEqualTo(403);
        assertThat(routes.calls).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer s3cret", "bearer s3cret", "BEARER  s3cret"})
    void withATokenAPostWithTheRightOneGoesThrough(String authorization) {
        Answer answer = api("s3cret").handle(HttpMethod.POST, "/routes/web/abort", auth(authorization));

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(routes.calls).containsExactly("web abort all");
    }

    @Test
    void withATokenGetStaysOpen() {
        assertThat(api("s3cret").handle(HttpMethod.GET, "/metrics", new DefaultHttpHeaders()).status().code())
                .isEqualTo(200);
        assertThat(api("s3cret").handle(HttpMethod.GET, "/routes", new DefaultHttpHeaders()).status().code())
                .isEqualTo(200);
    }

    @Test
    void withATokenAnUnknownPathIsStill404AndAWrongMethod405() {
        assertThat(api("s3cret").handle(HttpMethod.POST, "/nope", new DefaultHttpHeaders()).status().code())
                .isEqualTo(404);
        assertThat(api("s3cret").handle(HttpMethod.PUT, "/reload", new DefaultHttpHeaders()).status().code())
                .isEqualTo(405);
    }

    @Test
    void malformedEscapeIs400() {
        Answer answer = call(HttpMethod.POST, "/routes/web/abort?upstream=%zz");

        assertThat(answer.status().code()).isEqualTo(400);
        assertThat(answer.body()).hasLineCount(1);
    }

    @Test
    void escapedRouteNameIsDecoded() {
        routes.name = "a b";

        Answer answer = call(HttpMethod.POST, "/routes/a%20b/abort");

        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(routes.calls).containsExactly("a b abort all");
    }

    private static HttpHeaders auth(String value) {
        return new DefaultHttpHeaders().set("Authorization", value);
    }

    /** One route, {@code web}, in front of A and B with two live sessions. */
    private static final class FakeRoutes implements RouteTable {

        final List<String> calls = new ArrayList<>();
        String name = "web";

        @Override
        public List<RouteView> routes() {
            return List.of(new RouteView(TestRoutes.route(name, A, B), new InetSocketAddress("127.0.0.1", 8080), 2));
        }

        @Override
        public OptionalInt endSessions(String route, Policy policy, Optional<HostPort> upstream) {
            if (!route.equals(name)) {
                return OptionalInt.empty();
            }
            calls.add(route + " " + policy.key() + " " + upstream.map(HostPort::toString).orElse("all"));
            return OptionalInt.of(2);
        }
    }
}
