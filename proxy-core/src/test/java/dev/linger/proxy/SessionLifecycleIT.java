package dev.linger.proxy;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.RefusingPort;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions open and end without leaving anything behind, and the relay's own ends are right on the wire. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SessionLifecycleIT {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aThousandSessionsLeaveNoChannelSessionOrDescriptorBehind() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                ProxyServer server = ProxyServer.start(proxy(route("echo", upstream.address())))) {
            int port = server.boundAddress("echo").getPort();
            runSessions(port, 20); // warm up: event loops, selectors and the JIT create what they keep
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openChannels() == 0);
            long descriptorsBefore = openDescriptors();

            runSessions(port, 1000);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(server.liveSessions("echo")).isZero();
                assertThat(server.openChannels()).isZero();
                assertThat(openDescriptors()).isLessThanOrEqualTo(descriptorsBefore);
            });
            assertThat(upstream.accepted()).isEqualTo(1020);
            assertThat(upstream.failures()).isEmpty();
        }
    }

    @Test
    void clientResetReachesTheUpstreamAsReset() throws Exception {
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end());
                });
                ProxyServer server = ProxyServer.start(proxy(route("rst", upstream.address())))) {
            Socket client = new Socket("127.0.0.1", server.boundAddress("rst").getPort());
            assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            client.setSoLinger(true, 0);
            client.close();

            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS)).isEqualTo(End.RST);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("rst") == 0);
        }
    }

    @Test
    void upstreamResetReachesTheClientAsReset() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    socket.getInputStream().read();
                    socket.setSoLinger(true, 0);
                });
                ProxyServer server = ProxyServer.start(proxy(route("rst", upstream.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("rst").getPort())) {
            assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            client.getOutputStream().write(PING);

            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
        }
    }

    @Test
    void upstreamFinOnAnAbortRouteResetsTheClient() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                ProxyServer server = ProxyServer.start(proxy(
                        route("abort", Policy.ABORT, Duration.ofSeconds(5), Map.of(), upstream.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("abort").getPort())) {
            // The FIN ends the session at once with a reset, so the client may or may not see the ping first.
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
        }
    }

    @Test
    void refusedUpstreamEndsTheClientWithFinOnAGracefulRoute() throws Exception {
        try (RefusingPort refusing = RefusingPort.open();
                ProxyServer server = ProxyServer.start(proxy(route("refused", refusing.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("refused").getPort())) {
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            client.shutdownOutput();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("refused") == 0);
        }
    }

    @Test
    void refusedUpstreamResetsTheClientWhenConnectFailedIsAbort() throws Exception {
        try (RefusingPort refusing = RefusingPort.open();
                ProxyServer server = ProxyServer.start(proxy(route("refused", Policy.GRACEFUL, Duration.ofSeconds(5),
                        Map.of(Trigger.CONNECT_FAILED, Policy.ABORT), refusing.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("refused").getPort())) {
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
        }
    }

    private static void runSessions(int port, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            try (Socket client = new Socket("127.0.0.1", port)) {
                client.getOutputStream().write(PING);
                assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
                client.shutdownOutput();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
        }
    }


    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
