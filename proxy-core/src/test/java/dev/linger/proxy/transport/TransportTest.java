package dev.linger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.testing.TestRoutes;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.uring.IoUring;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransportTest {

    @Test
    void autoPrefersEpollAndFallsBackToNio() throws Exception {
        assertThat(Transport.select(TransportKind.AUTO).name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void nioIsAlwaysThereAndRunsOnChannels() throws Exception {
        Transport nio = Transport.select(TransportKind.NIO);
        assertThat(nio.name()).isEqualTo("nio");
        assertThat(nio.socketsWithoutChannels()).isFalse();
    }

    @Test
    void theIoUringWorkaroundReachesNettysInternals() {
        // It reaches them through reflection: a Netty upgrade that moves them must fail here, not only log.
        assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        assertThat(IoUringHalfClosure.available()).isTrue();
    }

    @Test
    void aQueuedWriteCountsTheMemoryItsBufferHoldsNotOnlyItsReadableBytes() {
        MessageSizeEstimator.Handle size = Transport.QUEUED_MEMORY.newHandle();
        ByteBuf read = Unpooled.buffer(Transport.MAX_READ_BYTES).writeByte('x'); // one byte read into a large guess
        ByteBufHolder held = new DefaultByteBufHolder(Unpooled.buffer(4096).writeByte('y'));
        try {
            assertThat(size.size(read)).isEqualTo(Transport.MAX_READ_BYTES);
            assertThat(size.size(held)).isEqualTo(4096);
            assertThat(size.size(Unpooled.EMPTY_BUFFER)).isZero();
            assertThat(size.size("other")).as("anything else: Netty's default")
                    .isEqualTo(DefaultMessageSizeEstimator.DEFAULT.newHandle().size("other"));
        } finally {
            read.release();
            held.release();
        }
    }

    static List<TransportKind> transports() {
        return TestRoutes.availableTransports();
    }

    /** A channel of {@code transport}, made as the proxy makes upstream channels, connected to {@code server}. */
    private static Channel connect(Transport transport, EventLoopGroup group, ServerSocket server)
            throws InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        return new Bootstrap().group(group).channel(transport.socketChannelClass())
                .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    @Timeout(30)
    void ourFinGoesOutThroughTheSocketOnEveryNativeTransport(TransportKind kind) throws Exception {
        Transport transport = Transport.select(kind);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory().get());
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel channel = connect(transport, group, server);
            try (Socket peer = server.accept()) {
                peer.setSoTimeout(10_000);
                boolean nativeSocket = kind != TransportKind.NIO;
                assertThat(NativeFin.applies(channel)).as("the direct FIN is for native sockets")
                        .isEqualTo(nativeSocket);
                if (!nativeSocket) {
                    return; // NIO half-closes through Netty's shutdownOutput()
                }
                channel.writeAndFlush(Unpooled.copiedBuffer("bye", StandardCharsets.US_ASCII)).sync();
                ChannelFuture fin = channel.eventLoop().submit(() -> NativeFin.send(channel)).get(10, TimeUnit.SECONDS);

                assertThat(fin.isSuccess()).isTrue();
                InputStream in = peer.getInputStream();
                assertThat(in.readNBytes(3)).asString(StandardCharsets.US_ASCII).isEqualTo("bye");
                assertThat(in.read()).as("the peer reads our FIN").isEqualTo(-1);
                assertThat(((DuplexChannel) channel).isOutputShutdown()).isTrue();
                assertThat(channel.isOpen()).as("a half-close, not a close").isTrue();
            } finally {
                channel.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    @Timeout(30)
    void nettysDefaultTurnsNagleOffOnConnectedAndAcceptedSocketsOfEveryTransport(TransportKind kind) throws Exception {
        // linger relies on Netty's default for TCP_NODELAY (no setsockopt of its own per connection): an upgrade
        // that changed it would hold each small reply up to a delayed ACK. The option is read from the kernel.
        Transport transport = Transport.select(kind);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory().get());
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(transport.serverChannelClass())
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        accepted.complete(ctx.channel());
                    }
                }).bind(loopback).sync().channel();
        try {
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            Channel connected = new Bootstrap().group(group).channel(transport.socketChannelClass())
                    .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
            Channel client = accepted.get(10, TimeUnit.SECONDS);
            Callable<Boolean> upstreamSide = () -> connected.config().getOption(ChannelOption.TCP_NODELAY);
            Callable<Boolean> clientSide = () -> client.config().getOption(ChannelOption.TCP_NODELAY);

            assertThat(connected.eventLoop().submit(upstreamSide).get()).as("a connected socket").isTrue();
            assertThat(client.eventLoop().submit(clientSide).get()).as("an accepted socket").isTrue();
            connected.close().sync();
        } finally {
            server.close().sync();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

}
