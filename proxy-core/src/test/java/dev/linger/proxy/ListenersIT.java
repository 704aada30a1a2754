package dev.linger.proxy;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How many listening sockets a route has: on epoll one per event loop on the same port (SO_REUSEPORT), so a
 * connection is accepted on the loop that serves it; elsewhere one. Counted in the kernel's own tables.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenersIT {

    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void onEpollEachEventLoopListensOnTheRoutesPortAndEverySessionRelays() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        int port;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                ProxyServer server = ProxyServer.start(
                        proxy(TransportKind.EPOLL, 3, route("web", upstream.address())))) {
            port = server.boundAddress("web").getPort();
            assertThat(listeningSockets(port)).isEqualTo(3);
            for (int i = 0; i < 30; i++) { // spread by the kernel over the three sockets
                assertEchoesThenEnds(port);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("web") == 0);
            assertThat(upstream.accepted()).isEqualTo(30);
        }
        assertThat(listeningSockets(port)).isZero();
    }

    @Test
    void withOneEventLoopOrOffEpollARouteHasOneListeningSocket() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "no /proc/net/tcp to count sockets in");
        for (TransportKind transport : List.of(TransportKind.NIO, TransportKind.AUTO)) {
            int threads = transport == TransportKind.NIO ? 2 : 1;
            try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                    ProxyServer server = ProxyServer.start(
                            proxy(transport, threads, route("web", upstream.address())))) {
                int port = server.boundAddress("web").getPort();
                assertThat(listeningSockets(port)).as("%s, %d event loops", transport, threads).isEqualTo(1);
                assertEchoesThenEnds(port);
            }
        }
    }

    private static void assertEchoesThenEnds(int port) throws IOException {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write(PING);
            client.shutdownOutput();
            Wire.Received echoed = Wire.readToEnd(client.getInputStream());
            assertThat(echoed.bytes()).isEqualTo(PING.length);
            assertThat(echoed.end()).isEqualTo(End.FIN);
        }
    }

    /** Sockets in state LISTEN on {@code port}, from /proc/net/tcp and tcp6 (NIO's sockets are dual-stack). */
    private static long listeningSockets(int port) throws IOException {
        String local = String.format(Locale.ROOT, ":%04X", port);
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.isReadable(Path.of(table))) {
                continue;
            }
            try (var lines = Files.lines(Path.of(table))) {
                count += lines.skip(1).map(String::trim).map(line -> line.split("\\s+"))
                        .filter(fields -> fields[1].endsWith(local) && fields[3].equals("0A"))
                        .count();
            }
        }
        return count;
    }
}
