package dev.linger.proxy;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static dev.linger.proxy.testing.TestRoutes.withConnectTimeout;
import static dev.linger.proxy.testing.TestRoutes.withListen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import dev.linger.proxy.testing.Wire.Received;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The relay on real loopback sockets: bulk data, half-close and backpressure, on every transport. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RelayIT {

    private static final long MiB = 1024 * 1024;

    static List<TransportKind> transports() {
        return dev.linger.proxy.testing.TestRoutes.availableTransports();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void everyMixOfAddressFamiliesRelays(TransportKind transport) throws Exception {
        // epoll gives IPv4 addresses IPv4-only sockets and everything else dual-stack ones
        try (ScriptedUpstream upstream = ScriptedUpstream.startDualStack(ScriptedUpstream.ECHO)) {
            for (String listen : List.of("127.0.0.1", "::1")) {
                for (String target : List.of("127.0.0.1", "::1")) {
                    RouteConfig base = route("mix", upstream.address(target));
                    RouteConfig mixed = withListen(base, new HostPort(listen, 0));
                    try (ProxyServer server = ProxyServer.start(proxy(transport, mixed));
                            Socket client = new Socket(listen, server.boundAddress("mix").getPort())) {
                        byte[] ping = (listen + " -> " + target + "\n").getBytes(StandardCharsets.US_ASCII);
                        client.getOutputStream().write(ping);
                        client.shutdownOutput();
                        assertThat(client.getInputStream().readAllBytes()).as(listen + " -> " + target)
                                .isEqualTo(ping);
                        await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("mix") == 0);
                    }
                }
            }
            assertThat(upstream.failures()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void bulkDataEachWayArrivesIntact(TransportKind transport) throws Exception {
        long size = 64 * MiB;
        CompletableFuture<Received> upstreamGot = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                        try {
                            Wire.writeRandom(socket.getOutputStream(), size, 2);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    upstreamGot.complete(Wire.readToEnd(socket.getInputStream()));
                    sent.get(60, TimeUnit.SECONDS);
                    socket.shutdownOutput();
                });
                ProxyServer server = ProxyServer.start(proxy(transport, route("bulk", upstream.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("bulk").getPort())) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    Wire.writeRandom(client.getOutputStream(), size, 1);
                    client.shutdownOutput();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Received clientGot = Wire.readToEnd(client.getInputStream());
            sent.get(60, TimeUnit.SECONDS);

            assertThat(clientGot).isEqualTo(new Received(size, Wire.randomDigest(size, 2), End.FIN));
            assertThat(upstreamGot.get(60, TimeUnit.SECONDS))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 1), End.FIN));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("bulk") == 0);
            assertThat(upstream.failures()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void clientThatHalfClosesStillReceivesTheWholeReply(TransportKind transport) throws Exception {
        long replySize = 2 * MiB;
        CompletableFuture<String> request = new CompletableFuture<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    // Reply only after the client's EOF, as a request/response protocol with FIN-delimited requests does.
                    request.complete(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                    Wire.writeRandom(socket.getOutputStream(), replySize, 7);
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                });
                ProxyServer server = ProxyServer.start(proxy(transport, route("half", upstream.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("half").getPort())) {
            client.getOutputStream().write("GET everything\n".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            Received reply = Wire.readToEnd(client.getInputStream());

            assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo("GET everything\n");
            assertThat(reply).isEqualTo(new Received(replySize, Wire.randomDigest(replySize, 7), End.FIN));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("half") == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aLongReplyAfterTheClientsFinSurvivesRepeatedBackpressure(TransportKind transport) throws Exception {
        // After the client's FIN its socket's input is shut; the reply then fills and drains the client's
        // tiny (8 KiB) window many times, so the proxy keeps waiting for writability. Netty 4.2.18's epoll drops a socket from epoll once nothing but output is
        // left to watch, and its next wait for writability used to fail, truncating the reply.
        long size = 16 * MiB;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    socket.getInputStream().readAllBytes();
                    Wire.writeRandom(socket.getOutputStream(), size, 9);
                    socket.shutdownOutput();
                });
                ProxyServer server = ProxyServer.start(proxy(transport, route("reply", upstream.address())));
                Socket client = new Socket()) {
            client.setReceiveBufferSize(8192);
            client.connect(server.boundAddress("reply"));
            client.getOutputStream().write("GET /big\n".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(Wire.readToEnd(client.getInputStream(), 8192))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 9), End.FIN));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aLongRequestAfterTheUpstreamsFinSurvivesRepeatedBackpressure(TransportKind transport) throws Exception {
        // The same defect on the other socket: the upstream half-closes first, then takes a long upload through
        // a tiny window, so the proxy keeps waiting for writability on a socket whose input is shut. On io_uring
        // Netty 4.2.18 loses that wait in about one upload in five (see IoUringHalfClosure): there the upload is
        // repeated, so that the test fails without the workaround all but about once in a few hundred runs.
        long size = 16 * MiB;
        int uploads = transport == TransportKind.IO_URING ? 25 : 1;
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        try (ScriptedUpstream upstream = ScriptedUpstream.startWithReceiveBuffer(8192, socket -> {
                    socket.shutdownOutput();
                    received.add(Wire.readToEnd(socket.getInputStream()));
                });
                // Off epoll our FIN toward the client counts as drained only at the client's own FIN, after the
                // upload: a deadline long enough that this test is about the relay, not about the deadline, and
                // short enough that a stalled upload ends (reset) well inside the test's timeout.
                ProxyServer server = ProxyServer.start(proxy(transport, route("upload", Policy.GRACEFUL,
                        Duration.ofSeconds(20), Map.of(), upstream.address())))) {
            for (int i = 0; i < uploads; i++) {
                try (Socket client = new Socket()) {
                    client.connect(server.boundAddress("upload"));
                    assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
                    Wire.writeRandom(client.getOutputStream(), size, 10 + i);
                    client.shutdownOutput();
                    assertThat(received.poll(30, TimeUnit.SECONDS)).as("upload %d", i)
                            .isEqualTo(new Received(size, Wire.randomDigest(size, 10 + i), End.FIN));
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("upload") == 0);
            assertThat(upstream.failures()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void upstreamFinIsForwardedOnlyAfterEveryQueuedByte(TransportKind transport) throws Exception {
        // A client with a tiny window keeps the proxy's outbound buffer full when the upstream's FIN
        // arrives: a half-close that does not wait for the flush would truncate the stream.
        long size = 8 * MiB;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    Wire.writeRandom(socket.getOutputStream(), size, 5);
                    socket.shutdownOutput();
                    Wire.readToEnd(socket.getInputStream());
                });
                ProxyServer server = ProxyServer.start(proxy(transport, route("fin", upstream.address())));
                Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(server.boundAddress("fin"));
            assertThat(Wire.readToEnd(client.getInputStream(), 1024))
                    .isEqualTo(new Received(size, Wire.randomDigest(size, 5), End.FIN));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void slowReaderKeepsProxyMemoryBoundedThenGetsEveryByte(TransportKind transport) throws Exception {
        long size = 256 * MiB;
        AtomicLong written = new AtomicLong();
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> {
                    Wire.writeRandom(new CountingStream(socket.getOutputStream(), written), size, 3);
                    socket.shutdownOutput();
                    socket.getInputStream().read();
                });
                ProxyServer server = ProxyServer.start(proxy(transport, route("slow", upstream.address())));
                Socket client = new Socket("127.0.0.1", server.boundAddress("slow").getPort())) {
            // The client reads nothing: the upstream must be held back once every buffer between is full.
            AtomicLong lastSeen = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> written.get() > 0 && written.get() == lastSeen.getAndSet(written.get()));

            long held = written.get();
            assertThat(held).as("bytes the upstream managed to write while nobody read").isLessThan(64 * MiB);
            ByteBufAllocatorMetric allocator = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            assertThat(allocator.usedDirectMemory() + allocator.usedHeapMemory())
                    .as("memory the proxy's allocator holds").isLessThan(32 * MiB);

            Received got = Wire.readToEnd(client.getInputStream());
            assertThat(got).isEqualTo(new Received(size, Wire.randomDigest(size, 3), End.FIN));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void aClientSendingWhileItsUpstreamConnectsIsHeldBackThenRelayedIntact(TransportKind transport) throws Exception {
        long size = 64 * MiB;
        AtomicLong written = new AtomicLong();
        // A listener whose accept queue is full drops the proxy's SYN: its connect stays in progress until
        // the kernel retransmits the SYN after the queue has room again (1 s, then 3 s after the first).
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket queued = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket queuedToo = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
            RouteConfig base = route("early", new HostPort("127.0.0.1", listener.getLocalPort()));
            RouteConfig slowConnect = withConnectTimeout(base, Duration.ofSeconds(30));
            try (ProxyServer server = ProxyServer.start(proxy(transport, slowConnect));
                    Socket client = new Socket("127.0.0.1", server.boundAddress("early").getPort())) {
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                    try {
                        Wire.writeRandom(new CountingStream(client.getOutputStream(), written), size, 6);
                        client.shutdownOutput();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                // The proxy reads the client while it connects, but holds no more than 16 KiB and a read.
                AtomicLong lastSeen = new AtomicLong(-1);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                        .until(() -> written.get() > 0 && written.get() == lastSeen.getAndSet(written.get()));
                assertThat(written.get()).as("bytes the client wrote while the upstream connected")
                        .isLessThan(32 * MiB);

                listener.accept().close();
                listener.accept().close();
                try (Socket upstream = listener.accept()) {
                    upstream.setSoTimeout(30_000);
                    Received got = Wire.readToEnd(upstream.getInputStream());
                    upstream.shutdownOutput();
                    assertThat(got).isEqualTo(new Received(size, Wire.randomDigest(size, 6), End.FIN));
                    sent.get(30, TimeUnit.SECONDS);
                    assertThat(Wire.readToEnd(client.getInputStream())).isEqualTo(
                            new Received(0, Wire.randomDigest(0, 0), End.FIN));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.liveSessions("early") == 0);
            }
        }
    }

    /** Counts what passes through, so the test sees how far the writer got. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        private final AtomicLong count;

        CountingStream(OutputStream out, AtomicLong count) {
            this.out = out;
            this.count = count;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            out.write(b);
            count.incrementAndGet();
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }

        @Override
        public void flush() throws java.io.IOException {
            out.flush();
        }
    }
}
