package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.TestRoutes;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteSummaryTest {

    private static RouteConfig route(TeardownConfig teardown) {
        RouteConfig route = TestRoutes.route("web", HostPort.parse("10.0.0.1:80"), HostPort.parse("[::1]:81"));
        return TestRoutes.withTeardown(TestRoutes.withListen(route, HostPort.parse("0.0.0.0:8080")), teardown);
    }

    @Test
    void configuredNamesListenUpstreamsPolicyAndOverridesInTriggerOrder() {
        RouteConfig route = route(new TeardownConfig(Policy.ABORT, Duration.ofSeconds(5), Map.of(
                Trigger.UPSTREAM_FIN, Policy.GRACEFUL,
                Trigger.CLIENT_RST, Policy.ABORT,
                Trigger.IDLE_TIMEOUT, Policy.GRACEFUL)));

        assertThat(RouteSummary.configured(route)).isEqualTo("route web: listen 0.0.0.0:8080,"
                + " upstreams [10.0.0.1:80, [::1]:81], policy abort,"
                + " on {upstream-fin=graceful, client-rst=abort, idle-timeout=graceful}");
    }

    @Test
    void withoutOverridesOnlyThePolicyIsShown() {
        RouteConfig route = route(new TeardownConfig(Policy.GRACEFUL, Duration.ofSeconds(5), Map.of()));

        assertThat(RouteSummary.configured(route)).endsWith("], policy graceful");
    }

    @Test
    void listeningShowsTheBoundAddressNotTheConfiguredOne() {
        RouteConfig route = route(new TeardownConfig(Policy.GRACEFUL, Duration.ofSeconds(5),
                Map.of(Trigger.CLIENT_RST, Policy.ABORT)));

        assertThat(RouteSummary.listening(route, new InetSocketAddress("127.0.0.1", 41234)))
                .isEqualTo("route web listening on 127.0.0.1:41234 -> [10.0.0.1:80, [::1]:81],"
                        + " policy graceful, on {client-rst=abort}");
    }

    @Test
    void ipv6BoundAddressIsBracketed() {
        assertThat(RouteSummary.format(new InetSocketAddress("::1", 8080))).isEqualTo("[0:0:0:0:0:0:0:1]:8080");
    }

    @Test
    void weightsOtherThanOneAreShownAsWritten() throws Exception {
        RouteConfig route = dev.linger.proxy.config.ConfigLoader.parse(
                "proxy.routes.w { listen = \"127.0.0.1:7000\", upstreams = [\"10.0.0.1:80 weight=3\", \"10.0.0.2:80\"] }",
                "w.conf").routes().get(0);

        assertThat(RouteSummary.configured(route))
                .contains("upstreams [10.0.0.1:80 weight=3, 10.0.0.2:80]");
    }
}
