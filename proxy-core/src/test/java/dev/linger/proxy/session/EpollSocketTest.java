package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.transport.DrainProbe;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The epoll socket layer's own system calls on a real loopback connection, with no session above it: the
 * connect, our FIN, the kernel's TCP state read for "drained", and the reset. The relay on top of it is
 * {@code RelayIT}'s and {@code TeardownIT}'s.
 */
@Timeout(30)
class EpollSocketTest {

    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private ServerSocket server;
    private final SessionChannels channels = new SessionChannels();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void stop() throws Exception {
        if (group != null) {
            server.close();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A socket connected to {@link #server}, with no session: its peer must not send (no one would read it). */
    private EpollSocket connected() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        EpollSocket socket = loop.submit(() -> EpollSocket.connect(loop, address, null, channels,
                (connected, failure) -> outcome.complete(failure))).get();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).as("connect failure").isNull();
        return socket;
    }

    private <T> T onLoop(Callable<T> call) throws Exception {
        return loop.submit(call).get(10, TimeUnit.SECONDS);
    }

    @Test
    void ourFinLeavesAndTheKernelsTcpStateTellsWhenThePeerAcknowledgedIt() throws Exception {
        EpollSocket socket = connected();
        try (Socket peer = server.accept()) {
            peer.setSoTimeout(10_000);
            assertThat(channels.open()).isEqualTo(1);
            assertThat(onLoop(() -> socket.drain(false))).as("established").isEqualTo(DrainProbe.Drain.PENDING);

            CompletableFuture<Object> sent = new CompletableFuture<>();
            loop.execute(() -> socket.halfClose(false, () -> sent.complete("sent"), sent::completeExceptionally));
            assertThat(sent.get(10, TimeUnit.SECONDS)).isEqualTo("sent");
            assertThat(peer.getInputStream().read()).as("the peer reads our FIN").isEqualTo(-1);

            await().atMost(Duration.ofSeconds(5)).until(() -> onLoop(() -> socket.drain(false)),
                    drain -> drain == DrainProbe.Drain.DRAINED);
            onLoop(() -> {
                socket.close();
                return null;
            });
            assertThat(onLoop(() -> socket.drain(false))).as("closed").isEqualTo(DrainProbe.Drain.UNKNOWN);
            assertThat(channels.open()).isZero();
        }
    }

    @Test
    void aResetReachesThePeerAsConnectionReset() throws Exception {
        EpollSocket socket = connected();
        try (Socket peer = server.accept()) {
            peer.setSoTimeout(10_000);
            onLoop(() -> {
                socket.reset();
                return null;
            });
            InputStream in = peer.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(channels.open()).isZero();
        }
    }

    @Test
    void aRefusedConnectIsReportedAndLeavesNoSocketOpen() throws Exception {
        int closedPort = server.getLocalPort();
        server.close();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", closedPort);
        loop.submit(() -> EpollSocket.connect(loop, address, null, channels,
                (connected, failure) -> outcome.complete(failure))).get();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).hasMessageContaining("refused");
        assertThat(channels.open()).isZero();
    }
}
