package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.TestRoutes;
import java.net.InetSocketAddress;
import java.time.Duration;
import dev.linger.proxy.upstream.UpstreamHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesJsonTest {

    private static RouteConfig route(String name, Duration linger, Map<Trigger, Policy> on) {
        RouteConfig route = TestRoutes.route(name, HostPort.parse("10.0.0.1:80"), HostPort.parse("[::1]:81"));
        return TestRoutes.withTeardown(TestRoutes.withListen(route, HostPort.parse("0.0.0.0:8080")),
                new TeardownConfig(Policy.ABORT, linger, on));
    }

    @Test
    void aRouteWithEverythingAnOperatorAsksFor() {
        RouteView view = new RouteView(route("web", Duration.ofSeconds(5),
                Map.of(Trigger.UPSTREAM_FIN, Policy.GRACEFUL, Trigger.CLIENT_FIN, Policy.GRACEFUL)),
                new InetSocketAddress("127.0.0.1", 41234), 7);

        assertThat(RoutesJson.route(view)).isEqualTo("{\"name\":\"web\",\"listen\":\"0.0.0.0:8080\","
                + "\"bound\":\"127.0.0.1:41234\",\"upstreams\":[\"10.0.0.1:80\",\"[::1]:81\"],"
                + "\"teardown\":{\"policy\":\"abort\",\"linger-timeout\":\"5s\","
                + "\"on\":{\"client-fin\":\"graceful\",\"upstream-fin\":\"graceful\"}},\"live-sessions\":7,"
                + "\"upstream-health\":[]}");
    }

    @Test
    void upstreamHealthShowsEjectionAndLoad() {
        RouteView view = new RouteView(route("web", Duration.ofSeconds(5), Map.of()),
                new InetSocketAddress("127.0.0.1", 8080), 3, List.of(
                        new UpstreamHealth(HostPort.parse("10.0.0.1:80"), 3, true, true, Optional.empty(), 3),
                        new UpstreamHealth(HostPort.parse("[::1]:81"), 1, false, true,
                                Optional.of(Instant.parse("2026-11-25T16:00:00Z")), 0)));

        assertThat(RoutesJson.route(view)).endsWith("\"upstream-health\":["
                + "{\"upstream\":\"10.0.0.1:80\",\"weight\":3,\"healthy\":true,\"checks-passing\":true,"
                + "\"ejected-until\":null,\"sessions\":3},"
                + "{\"upstream\":\"[::1]:81\",\"weight\":1,\"healthy\":false,\"checks-passing\":true,"
                + "\"ejected-until\":\"2026-11-25T16:00:00Z\",\"sessions\":0}]}");
    }

    @Test
    void isValidJsonEvenForOddNames() throws Exception {
        String name = "we\"b\\\n\u0001é";
        String json = RoutesJson.of(List.of(
                new RouteView(route(name, Duration.ofMillis(1500), Map.of()), new InetSocketAddress("::1", 1), 0)));

        JsonNode route = new ObjectMapper().readTree(json).get("routes").get(0);
        assertThat(route.get("name").asText()).isEqualTo(name);
        assertThat(route.get("bound").asText()).isEqualTo("[0:0:0:0:0:0:0:1]:1");
        assertThat(route.get("teardown").get("linger-timeout").asText()).isEqualTo("1500ms");
        assertThat(route.get("teardown").get("on").size()).isZero();
    }

    @Test
    void noRoutesIsAnEmptyArray() {
        assertThat(RoutesJson.of(List.of())).isEqualTo("{\"routes\":[]}");
    }

    @Test
    void durationsAreWrittenAsTheConfigurationWritesThem() {
        assertThat(RoutesJson.duration(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(RoutesJson.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(RoutesJson.duration(Duration.ZERO)).isEqualTo("0s");
        assertThat(RoutesJson.duration(Duration.ofNanos(1500))).isEqualTo("1500ns");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertThat(Json.string("a\"b\\c\nd\te\u0000")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0000\"");
        assertThat(Json.string(null)).isEqualTo("null");
    }
}
