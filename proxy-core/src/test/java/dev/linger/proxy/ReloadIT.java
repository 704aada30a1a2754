package dev.linger.proxy;

import static dev.linger.proxy.testing.RunningProxy.series;
import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withListen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.route.BindFailedException;
import dev.linger.proxy.route.ReloadResult;
import dev.linger.proxy.testing.Meters;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reload on real sockets: routes added, changed and removed while an unchanged route keeps relaying. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReloadIT {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration LINGER = Duration.ofSeconds(5);

    @Test
    void addsChangesAndRemovesRoutesWhileAnUnchangedRouteKeepsRelaying() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = new RunningProxy(proxy(TransportKind.AUTO, 2,
                        route("steady", upstream.address()),
                        route("policy", upstream.address()),
                        route("doomed", Policy.ABORT, LINGER, Map.of(), upstream.address())))) {
            ProxyServer server = proxy.server();
            Socket steady = proxy.connect("steady");
            Socket before = proxy.connect("policy");
            Socket doomed = proxy.connect("doomed");
            assertEchoes(steady);
            assertEchoes(before);
            assertEchoes(doomed);
            int steadyPort = proxy.port("steady");

            RouteConfig steadyConfig = server.routes().get(0).config();
            RouteConfig policyNow = route("policy", Policy.ABORT, LINGER, Map.of(), upstream.address());
            ReloadResult result = server.reload(proxy(TransportKind.AUTO, 2,
                    steadyConfig, policyNow, route("fresh", upstream.address())));

            assertThat(result.unchanged()).containsExactly("steady");
            assertThat(result.changed()).containsExactly("policy");
            assertThat(result.added()).containsExactly("fresh");
            assertThat(result.removed()).containsExactly("doomed");
            // The removed route's session ends by its own policy (abort), counted as shutdown.
            assertThat(Wire.readToEnd(doomed.getInputStream()).end()).isEqualTo(End.RST);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    proxy.registry().find("proxy.connections.closed").tag("route", "doomed").counters().isEmpty());
            // The unchanged route kept its listener and its session.
            assertThat(proxy.port("steady")).isEqualTo(steadyPort);
            assertEchoes(steady);
            // The changed route: the live session keeps its old (graceful) settings, new ones get abort.
            assertEchoes(before);
            Socket after = proxy.connect("policy");
            assertEchoes(after);
            after.shutdownOutput();
            assertThat(Wire.readToEnd(after.getInputStream()).end()).isEqualTo(End.RST);
            before.shutdownOutput();
            assertThat(Wire.readToEnd(before.getInputStream()).end()).isEqualTo(End.FIN);
            proxy.awaitEnded("policy", Map.of(series(Trigger.CLIENT_FIN, TeardownPath.ABORT), 1L,
                    series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), 1L));
            // The new route listens.
            try (Socket fresh = proxy.connect("fresh")) {
                assertEchoes(fresh);
            }
            assertEchoes(steady);
            steady.close();
        }
    }

    @Test
    void aReloadThatCannotBindChangesNothing() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                RunningProxy proxy = new RunningProxy(proxy(TransportKind.AUTO, 2, route("steady", upstream.address())))) {
            ProxyServer server = proxy.server();
            Socket steady = proxy.connect("steady");
            assertEchoes(steady);
            RouteConfig steadyConfig = server.routes().get(0).config();

            assertThatThrownBy(() -> server.reload(proxy(TransportKind.AUTO, 2, steadyConfig,
                    pinned(route("clash", upstream.address()), "127.0.0.1", taken.getLocalPort()))))
                    .isInstanceOf(BindFailedException.class)
                    .hasMessageStartingWith("proxy.routes.clash.listen: '127.0.0.1:" + taken.getLocalPort() + "'");

            assertThat(server.routes()).extracting(r -> r.name()).containsExactly("steady");
            assertEchoes(steady);
            steady.close();
        }
    }

    @Test
    void stopAcceptingRefusesNewClientsWhileLiveSessionsGoOnThenShutdownEndsThem() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = new RunningProxy(proxy(TransportKind.AUTO, 2, route("web", upstream.address())))) {
            ProxyServer server = proxy.server();
            int port = proxy.port("web");
            Socket live = proxy.connect("web");
            assertEchoes(live);

            server.stopAccepting();

            try (Socket refused = new Socket()) {
                assertThatThrownBy(() -> refused.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000))
                        .isInstanceOf(ConnectException.class);
            }
            assertEchoes(live);
            assertThat(server.awaitSessionsEnded(Duration.ofMillis(200))).isFalse();

            server.shutdownSessions(Duration.ofMillis(100));
            assertThat(Wire.readToEnd(live.getInputStream()).end()).isEqualTo(End.FIN);
            live.shutdownOutput();
            assertThat(server.awaitSessionsEnded(Duration.ofSeconds(5))).isTrue();
            assertThat(Meters.closed(proxy.registry(), "web", Trigger.SHUTDOWN, TeardownPath.GRACEFUL)).isEqualTo(1);
            live.close();
        }
    }

    @Test
    void shutdownSpreadEndsSessionsOverTheWindowNotAtOnce() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = new RunningProxy(proxy(TransportKind.AUTO, 2,
                        route("web", Policy.ABORT, LINGER, Map.of(), upstream.address())))) {
            List<Socket> clients = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Socket client = proxy.connect("web");
                assertEchoes(client);
                clients.add(client);
            }
            long start = System.nanoTime();
            proxy.server().shutdownSessions(Duration.ofMillis(1000));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Meters.closed(proxy.registry(), "web", Trigger.SHUTDOWN, TeardownPath.ABORT) >= 1);
            long first = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                    .until(() -> Meters.closed(proxy.registry(), "web", Trigger.SHUTDOWN, TeardownPath.ABORT) == 20);
            long last = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (Socket client : clients) {
                assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                client.close();
            }
            assertThat(first).as("first reset, ms after the call").isLessThan(300);
            assertThat(last).as("last reset, ms after the call").isBetween(800L, 2000L);
            assertThat(Meters.closed(proxy.registry(), "web", Trigger.SHUTDOWN, TeardownPath.ABORT)).isEqualTo(20);
        }
    }

    /** {@code route} listening on a fixed address (a reload must name the address it has). */
    private static RouteConfig pinned(RouteConfig route, String host, int port) {
        return withListen(route, new HostPort(host, port));
    }

    private static void assertEchoes(Socket client) throws IOException {
        client.getOutputStream().write(PING);
        assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
    }

}
