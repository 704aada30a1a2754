package dev.linger.proxy;

import static dev.linger.proxy.testing.RunningProxy.series;
import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withConnectTimeout;
import static dev.linger.proxy.testing.TestRoutes.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.testing.AccessLines;
import dev.linger.proxy.testing.Meters;
import dev.linger.proxy.testing.RefusingPort;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import dev.linger.proxy.testing.Wire.Received;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The teardown table of issue 4 on real loopback sockets, on every transport this machine has: for
 * each case what each peer saw (bytes, FIN or RST) and the exact trigger/path counted.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TeardownIT {

    private static final long MiB = 1024 * 1024;
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    private static final Duration LINGER = Duration.ofSeconds(5);

    /** An upstream that sends PING, waits for one byte from the client, then resets its connection. */
    private static final ScriptedUpstream.Script PING_THEN_RESET = socket -> {
        socket.getOutputStream().write(PING);
        socket.getInputStream().read();
        socket.setSoLinger(true, 0);
    };

    @Parameter
    TransportKind transport;

    static List<TransportKind> transports() {
        return TestRoutes.availableTransports();
    }

    private RunningProxy start(RouteConfig... routes) throws Exception {
        return new RunningProxy(proxy(transport, routes));
    }

    @Test
    void gracefulRouteForwardsUpstreamDataThenFin() throws Exception {
        long size = MiB;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    Wire.writeRandom(socket.getOutputStream(), size, 11);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                RunningProxy proxy = start(route("web", upstream.address()));
                Socket client = proxy.connect("web")) {
            assertThat(Wire.readToEnd(client.getInputStream()))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 11), End.FIN));
            client.shutdownOutput();

            proxy.awaitEnded("web", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL), 1L));
            assertThat(Meters.bytes(proxy.registry(), "web", Direction.DOWNSTREAM)).isEqualTo(size);
            assertThat(AccessLines.of("web")).last().asString()
                    .matches("time=\\S+Z route=web client=127\\.0\\.0\\.1:" + client.getLocalPort()
                            + " upstream=" + upstream.address() + " bytes_up=0 bytes_down=" + size
                            + " discarded_up=0 discarded_down=0 duration_ms=\\d+\\.\\d{3} trigger=upstream-fin path=graceful");
        }
    }

    @Test
    void whatAClientSendsAfterOurFinReachesTheUpstreamThenItsFin() throws Exception {
        // Once our FIN to the client is acknowledged, the client's FIN closes its socket (no half-close):
        // the bytes before that FIN and the FIN itself must still reach the upstream.
        long size = MiB;
        CompletableFuture<Received> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    socket.shutdownOutput();
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()));
                });
                RunningProxy proxy = start(route("web", upstream.address()));
                Socket client = proxy.connect("web")) {
            assertThat(client.getInputStream().readAllBytes()).isEqualTo(PING);
            Wire.writeRandom(client.getOutputStream(), size, 13);
            client.shutdownOutput();

            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 13), End.FIN));
            proxy.awaitEnded("web", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL), 1L));
            assertThat(Meters.bytes(proxy.registry(), "web", Direction.UPSTREAM)).isEqualTo(size);
            assertThat(upstream.failures()).isEmpty();
        }
    }

    @Test
    void aClientFinAfterOurDrainedFinStillTakesItsOwnPolicy() throws Exception {
        // client-fin overridden to abort: the client's FIN, heard as its socket closing, resets the upstream.
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    socket.shutdownOutput();
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end());
                });
                RunningProxy proxy = start(route("web", Policy.GRACEFUL, LINGER,
                        Map.of(Trigger.CLIENT_FIN, Policy.ABORT), upstream.address()));
                Socket client = proxy.connect("web")) {
            assertThat(Wire.readToEnd(client.getInputStream())).extracting(Received::bytes, Received::end)
                    .containsExactly((long) PING.length, End.FIN);
            client.shutdownOutput();

            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS)).isEqualTo(End.RST);
            proxy.awaitEnded("web", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.ABORT), 1L));
        }
    }

    @Test
    void abortRouteTurnsUpstreamFinIntoResetsAndLeavesNoTimeWait() throws Exception {
        int sessions = 500;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                RunningProxy proxy = start(route("cache", Policy.ABORT, LINGER, Map.of(), upstream.address()))) {
            for (int i = 0; i < sessions; i++) {
                try (Socket client = proxy.connect("cache")) {
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                }
            }

            proxy.awaitEnded("cache", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.ABORT), (long) sessions));
            assertThat(TimeWait.count(proxy.port("cache"), upstream.address().port())).isZero();
        }
    }

    @Test
    void clientResetReachesUpstreamAsReset() throws Exception {
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getOutputStream().write(PING);
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end());
                });
                RunningProxy proxy = start(route("web", upstream.address()))) {
            Socket client = proxy.connect("web");
            assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            client.setSoLinger(true, 0);
            client.close();

            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS)).isEqualTo(End.RST);
            proxy.awaitEnded("web", Map.of(series(Trigger.CLIENT_RST, TeardownPath.ABORT), 1L));
        }
    }

    @Test
    void upstreamResetReachesClientAsReset() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(PING_THEN_RESET);
                RunningProxy proxy = start(route("web", upstream.address()));
                Socket client = proxy.connect("web")) {
            assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            client.getOutputStream().write(PING);

            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
            proxy.awaitEnded("web", Map.of(series(Trigger.UPSTREAM_RST, TeardownPath.ABORT), 1L));
        }
    }

    @Test
    void resetOverriddenToGracefulEndsTheOtherSideWithFin() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(PING_THEN_RESET);
                RunningProxy proxy = start(route("web", Policy.GRACEFUL, LINGER,
                        Map.of(Trigger.UPSTREAM_RST, Policy.GRACEFUL), upstream.address()));
                Socket client = proxy.connect("web")) {
            assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            client.getOutputStream().write(PING);

            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            client.shutdownOutput();
            proxy.awaitEnded("web", Map.of(series(Trigger.UPSTREAM_RST, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void halfClosedClientReceivesTheWholeReplyAfterItsFin() throws Exception {
        long size = 2 * MiB;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getInputStream().readAllBytes();
                    Wire.writeRandom(socket.getOutputStream(), size, 12);
                    socket.shutdownOutput();
                });
                RunningProxy proxy = start(route("web", upstream.address()));
                Socket client = proxy.connect("web")) {
            client.getOutputStream().write(PING);
            client.shutdownOutput();

            assertThat(Wire.readToEnd(client.getInputStream()))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 12), End.FIN));
            proxy.awaitEnded("web", Map.of(series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void lingerDeadlineResetsNonReadingClientsOnTimeWithoutStallingTheLoop() throws Exception {
        int clients = 10;
        Duration linger = Duration.ofSeconds(1);
        List<CompletableFuture<Long>> upstreamResetAfterFin = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            upstreamResetAfterFin.add(new CompletableFuture<>());
        }
        java.util.concurrent.atomic.AtomicInteger floods = new java.util.concurrent.atomic.AtomicInteger();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    InputStream in = socket.getInputStream();
                    int mode = in.read();
                    if (mode == 'E') {
                        in.transferTo(socket.getOutputStream());
                        return;
                    }
                    CompletableFuture<Long> resetAt = upstreamResetAfterFin.get(floods.getAndIncrement());
                    Wire.writeRandom(socket.getOutputStream(), 32 * 1024, 13);
                    socket.shutdownOutput();
                    long finNanos = System.nanoTime();
                    End end = Wire.readToEnd(in).end();
                    resetAt.complete(end == End.RST ? System.nanoTime() - finNanos : -1);
                });
                RunningProxy proxy = new RunningProxy(proxy(transport, 1,
                        route("db", Policy.GRACEFUL, linger, Map.of(), upstream.address())));
                Socket echo = proxy.connect("db")) {
            echo.getOutputStream().write('E');
            for (int i = 0; i < 200; i++) { // warm the echo path (class loading, JIT) before timing it
                echo.getOutputStream().write(PING);
                assertThat(echo.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
            }
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    Socket client = new Socket();
                    client.setReceiveBufferSize(1024);
                    client.connect(proxy.server().boundAddress("db"));
                    client.getOutputStream().write('F');
                    slow.add(client);
                }
                // Throughout the lingering, a session on the same event loop answers promptly.
                long worstMillis = 0;
                while (!allDone(upstreamResetAfterFin)) {
                    long start = System.nanoTime();
                    echo.getOutputStream().write(PING);
                    assertThat(echo.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
                    worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                assertThat(worstMillis).as("worst echo round trip during the linger, ms").isLessThan(50);

                for (CompletableFuture<Long> reset : upstreamResetAfterFin) {
                    assertThat(TimeUnit.NANOSECONDS.toMillis(reset.get(10, TimeUnit.SECONDS)))
                            .as("upstream reset after its FIN, ms").isBetween(900L, 1900L);
                }
                for (Socket client : slow) {
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                }
            } finally {
                for (Socket client : slow) {
                    client.close();
                }
            }
            echo.shutdownOutput();
            Wire.readToEnd(echo.getInputStream());
            proxy.awaitEnded("db", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.LINGER_TIMEOUT), (long) clients,
                    series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void aSocketShutBothWaysWaitsForItsDeadlineWithoutSpinningTheLoop() throws Exception {
        // The client half-closes and never reads: the proxy's FIN toward it stays unacknowledged behind the
        // reply, on a socket whose input is shut too. Epoll reports such a socket (EPOLLHUP) on every wait
        // while it is registered; kept registered it would spin the event loop until the deadline. (Elsewhere
        // the session ends at once: drained there means an empty buffer and the peer's FIN, as the README's
        // "How a session ends" says.)
        assumeTrue(transport == TransportKind.EPOLL, "only epoll tells a drained socket by its TCP state");
        int reply = 32 * 1024; // more than the client's window, less than the proxy's send buffer
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getInputStream().readAllBytes();
                    Wire.writeRandom(socket.getOutputStream(), reply, 14);
                    socket.shutdownOutput();
                });
                RunningProxy proxy = new RunningProxy(proxy(transport, 1,
                        route("db", Policy.GRACEFUL, Duration.ofSeconds(1), Map.of(), upstream.address())));
                Socket client = new Socket()) {
            client.setReceiveBufferSize(1024);
            client.connect(proxy.server().boundAddress("db"));
            client.getOutputStream().write(PING);
            client.shutdownOutput();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Meters.bytes(proxy.registry(), "db", Direction.DOWNSTREAM) == reply);
            assertLingersWithoutSpinning(proxy, client);
            proxy.awaitEnded("db", Map.of(series(Trigger.CLIENT_FIN, TeardownPath.LINGER_TIMEOUT), 1L));
        }
    }

    @Test
    void aSocketShutBothWaysAfterOurFinWaitsForItsDeadlineWithoutSpinningTheLoop() throws Exception {
        // The other order: the upstream's FIN is forwarded to a client that never reads, and the client's own
        // FIN comes in while ours is still stuck behind the reply.
        assumeTrue(transport == TransportKind.EPOLL, "only epoll tells a drained socket by its TCP state");
        int reply = 32 * 1024;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    Wire.writeRandom(socket.getOutputStream(), reply, 15);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                RunningProxy proxy = new RunningProxy(proxy(transport, 1,
                        route("db", Policy.GRACEFUL, Duration.ofSeconds(1), Map.of(), upstream.address())));
                Socket client = new Socket()) {
            client.setReceiveBufferSize(1024);
            client.connect(proxy.server().boundAddress("db"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> Meters.bytes(proxy.registry(), "db", Direction.DOWNSTREAM) == reply);
            client.shutdownOutput();
            assertLingersWithoutSpinning(proxy, client);
            proxy.awaitEnded("db", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.LINGER_TIMEOUT), 1L));
        }
    }

    /** The proxy's only session waits out its 1 s linger deadline with its event loop mostly idle, then resets. */
    private static void assertLingersWithoutSpinning(RunningProxy proxy, Socket client) throws Exception {
        long loopThread = proxy.server().eventLoops().iterator().next()
                .submit(() -> Thread.currentThread().getId()).get();
        long cpuBefore = threadCpuNanos(loopThread);
        long wallBefore = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().liveSessions() == 0);
        long busy = threadCpuNanos(loopThread) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        assertThat(TimeUnit.NANOSECONDS.toMillis(wall)).as("lingered, ms").isGreaterThan(500);
        assertThat(busy).as("event-loop CPU while the session lingered, ns (of %d ns)", wall)
                .isLessThan(wall / 4);
        assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
    }

    private static long threadCpuNanos(long threadId) {
        return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
    }

    @Test
    void idleTimeoutResetsBothPeersOnAnAbortRoute() throws Exception {
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket ->
                        upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end()));
                RunningProxy proxy = start(withLimits(route("idle", Policy.ABORT, LINGER, Map.of(), upstream.address()),
                        Duration.ofMillis(300), Duration.ZERO, 100));
                Socket client = proxy.connect("idle")) {
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS)).isEqualTo(End.RST);
            proxy.awaitEnded("idle", Map.of(series(Trigger.IDLE_TIMEOUT, TeardownPath.ABORT), 1L));
        }
    }

    @Test
    void idleTimeoutSendsFinToBothPeersOnAGracefulRoute() throws Exception {
        CompletableFuture<End> upstreamSaw = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    upstreamSaw.complete(Wire.readToEnd(socket.getInputStream()).end());
                    socket.shutdownOutput();
                });
                RunningProxy proxy = start(withLimits(route("idle", upstream.address()),
                        Duration.ofMillis(300), Duration.ZERO, 100));
                Socket client = proxy.connect("idle")) {
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            assertThat(upstreamSaw.get(10, TimeUnit.SECONDS)).isEqualTo(End.FIN);
            client.shutdownOutput();
            proxy.awaitEnded("idle", Map.of(series(Trigger.IDLE_TIMEOUT, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void aSlowReaderStillTakingBytesIsNotIdle() throws Exception {
        // The upstream is done long before the client: for seconds nothing is read from either side,
        // yet bytes keep draining to the client, which is movement, not idleness.
        int size = 256 * 1024;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    Wire.writeRandom(socket.getOutputStream(), size, 21);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                RunningProxy proxy = start(withLimits(route("slow", Policy.GRACEFUL, Duration.ofSeconds(10), Map.of(),
                        upstream.address()), Duration.ofMillis(300), Duration.ZERO, 100));
                Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(proxy.server().boundAddress("slow"));
            InputStream in = client.getInputStream();
            byte[] chunk = new byte[4096];
            long total = 0;
            int n;
            while ((n = in.read(chunk)) >= 0) {
                total += n;
                TimeUnit.MILLISECONDS.sleep(10); // pacing a slow reader, not waiting for anything
            }
            assertThat(total).isEqualTo(size);
            client.shutdownOutput();
            proxy.awaitEnded("slow", Map.of(series(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void idleOverrideResetsWhileUpstreamFinStillEndsGracefully() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    InputStream in = socket.getInputStream();
                    if (in.read() == 'F') {
                        socket.getOutputStream().write(PING);
                        socket.shutdownOutput();
                    }
                    Wire.readToEnd(in);
                });
                RunningProxy proxy = start(withLimits(route("mixed", Policy.GRACEFUL, LINGER,
                        Map.of(Trigger.IDLE_TIMEOUT, Policy.ABORT), upstream.address()),
                        Duration.ofMillis(500), Duration.ZERO, 100))) {
            try (Socket idle = proxy.connect("mixed")) {
                idle.getOutputStream().write('I');
                assertThat(Wire.readToEnd(idle.getInputStream()).end()).isEqualTo(End.RST);
            }
            try (Socket fin = proxy.connect("mixed")) {
                fin.getOutputStream().write('F');
                assertThat(Wire.readToEnd(fin.getInputStream())).extracting(Received::bytes, Received::end)
                        .containsExactly((long) PING.length, End.FIN);
                fin.shutdownOutput();
            }
            proxy.awaitEnded("mixed", Map.of(series(Trigger.IDLE_TIMEOUT, TeardownPath.ABORT), 1L,
                    series(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL), 1L));
        }
    }

    @Test
    void refusedConnectClosesTheClientByEachPolicyWithinASecond() throws Exception {
        try (RefusingPort refusing = RefusingPort.open();
                RunningProxy proxy = start(route("graceful", refusing.address()), route("abort", Policy.GRACEFUL,
                        LINGER, Map.of(Trigger.CONNECT_FAILED, Policy.ABORT), refusing.address()))) {
            try (Socket client = proxy.connect("graceful")) {
                long start = System.nanoTime();
                assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
                client.shutdownOutput();
            }
            try (Socket client = proxy.connect("abort")) {
                long start = System.nanoTime();
                assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            }
            proxy.awaitEnded("graceful", Map.of(series(Trigger.CONNECT_FAILED, TeardownPath.GRACEFUL), 1L));
            proxy.awaitEnded("abort", Map.of(series(Trigger.CONNECT_FAILED, TeardownPath.ABORT), 1L));
            assertThat(proxy.registry().get("proxy.upstream.connect.failures").tag("route", "abort")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void aConnectThatNeverCompletesFailsAtTheConnectTimeout() throws Exception {
        Duration connectTimeout = Duration.ofMillis(300);
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            fillAcceptQueue(full, fillers); // the kernel now drops SYNs to it: connects hang
            RouteConfig base = route("slow", Policy.GRACEFUL, LINGER,
                    Map.of(Trigger.CONNECT_FAILED, Policy.ABORT), new HostPort("127.0.0.1", full.getLocalPort()));
            RouteConfig slow = withConnectTimeout(base, connectTimeout);
            try (RunningProxy proxy = start(slow); Socket client = proxy.connect("slow")) {
                long start = System.nanoTime();
                assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.RST);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 3000L);
                proxy.awaitEnded("slow", Map.of(series(Trigger.CONNECT_FAILED, TeardownPath.ABORT), 1L));
                assertThat(proxy.registry().get("proxy.upstream.connect.failures").tag("route", "slow")
                        .counter().count()).isEqualTo(1.0);
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().openChannels() == 0);
            }
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }

    /** Connects to {@code server}, which never accepts, until a connect hangs: its queue is full. */
    private static void fillAcceptQueue(ServerSocket server, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 200);
            } catch (java.net.SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("the accept queue of " + server + " never filled");
    }

    @Test
    void connectionsOverMaxConnectionsAreResetAtOnce() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = start(withLimits(route("capped", Policy.ABORT, LINGER, Map.of(), upstream.address()),
                        Duration.ofMinutes(10), Duration.ZERO, 10))) {
            List<Socket> admitted = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    Socket client = proxy.connect("capped");
                    admitted.add(client);
                    client.getOutputStream().write(PING);
                    assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
                }
                try (Socket eleventh = proxy.connect("capped")) {
                    assertThat(Wire.readToEnd(eleventh.getInputStream()).end()).isEqualTo(End.RST);
                }
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        Meters.closed(proxy.registry(), "capped", Trigger.REJECTED, TeardownPath.ABORT) == 1);
                assertThat(upstream.accepted()).isEqualTo(10);
                for (Socket client : admitted) {
                    client.getOutputStream().write(PING);
                    assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
                }
            } finally {
                for (Socket client : admitted) {
                    client.close();
                }
            }
            proxy.awaitEnded("capped", Map.of(series(Trigger.REJECTED, TeardownPath.ABORT), 1L,
                    series(Trigger.CLIENT_FIN, TeardownPath.ABORT), 10L));
        }
    }

    @Test
    void maxDurationEndsSessionsAtTheLimitByThePolicy() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO);
                RunningProxy proxy = start(withLimits(route("short", upstream.address()),
                        Duration.ofMinutes(10), Duration.ofMillis(500), 100));
                Socket client = proxy.connect("short")) {
            long start = System.nanoTime();
            client.getOutputStream().write(PING);
            assertThat(Wire.readToEnd(client.getInputStream())).extracting(Received::bytes, Received::end)
                    .containsExactly((long) PING.length, End.FIN);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 1500L);
            client.shutdownOutput();
            proxy.awaitEnded("short", Map.of(series(Trigger.MAX_DURATION, TeardownPath.GRACEFUL), 1L));
        }
    }

    private static boolean allDone(List<CompletableFuture<Long>> futures) {
        return futures.stream().allMatch(CompletableFuture::isDone);
    }
}
