package dev.linger.proxy;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.testing.Meters;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import dev.linger.proxy.testing.Wire.Received;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On epoll, a FIN the proxy forwards leaves in the same TCP segment as the bytes read with it: counted on
 * the wire by the client socket's {@code tcpi_segs_in}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FinSegmentIT {

    // linux/tcp.h, struct tcp_info: u32 tcpi_unacked at byte 24, u32 tcpi_segs_in at byte 140.
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final int UNACKED = 24;
    private static final int SEGS_IN = 140;

    private static final String REQUEST = "GET / HTTP/1.1\r\n\r\n";
    private static final String REPLY = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";

    private EventLoopGroup group;

    @BeforeEach
    void startGroup() {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterEach
    void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anUpstreamsReplyAndItsFinReachTheClientInOneSegment() throws Exception {
        CorkedUpstream upstream = new CorkedUpstream();
        try (RunningProxy proxy = new RunningProxy(proxy(TransportKind.EPOLL, route("web", upstream.address())))) {
            Reader reader = new Reader();
            Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true).handler(reader)
                    .connect(proxy.server().boundAddress("web")).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer(REQUEST, StandardCharsets.US_ASCII)).sync();
            Channel accepted = upstream.requestArrived.get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> tcpInfo(client, UNACKED) == 0);
            long before = tcpInfo(client, SEGS_IN);

            upstream.replyAndFin(accepted);

            assertThat(reader.fin.get(10, TimeUnit.SECONDS) - before)
                    .as("segments the client received after its request was acknowledged: the reply with the FIN")
                    .isEqualTo(1);
            assertThat(reader.received.toString()).isEqualTo(REPLY);
            client.close().sync();
            proxy.awaitEnded("web", Map.of(RunningProxy.series(Trigger.UPSTREAM_FIN, TeardownPath.GRACEFUL), 1L));
            assertThat(Meters.bytes(proxy.registry(), "web", Direction.DOWNSTREAM)).isEqualTo(REPLY.length());
        } finally {
            upstream.close();
        }
    }

    @Test
    void onAnAbortRouteTheBytesReadWithTheFinStillGoOutBeforeTheReset() throws Exception {
        CorkedUpstream upstream = new CorkedUpstream();
        try (RunningProxy proxy = new RunningProxy(proxy(TransportKind.EPOLL,
                        route("cache", Policy.ABORT, Duration.ofSeconds(5), Map.of(), upstream.address())));
                java.net.Socket client = proxy.connect("cache")) {
            client.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            upstream.replyAndFin(upstream.requestArrived.get(10, TimeUnit.SECONDS));

            Received received = Wire.readToEnd(client.getInputStream());
            assertThat(received.bytes()).as("the reply, read with the FIN that ends the session").isEqualTo(REPLY.length());
            assertThat(received.end()).isEqualTo(End.RST);
            proxy.awaitEnded("cache", Map.of(RunningProxy.series(Trigger.UPSTREAM_FIN, TeardownPath.ABORT), 1L));
            assertThat(Meters.bytes(proxy.registry(), "cache", Direction.DOWNSTREAM)).isEqualTo(REPLY.length());
        } finally {
            upstream.close();
        }
    }

    /** An upstream whose reply and FIN leave in one segment (TCP_CORK), so the proxy reads both at once. */
    private final class CorkedUpstream {
        final CompletableFuture<Channel> requestArrived = new CompletableFuture<>();
        private final Channel listener;

        CorkedUpstream() throws InterruptedException {
            listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ((ByteBuf) msg).release();
                            requestArrived.complete(ctx.channel());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
        }

        HostPort address() {
            return new HostPort("127.0.0.1", ((InetSocketAddress) listener.localAddress()).getPort());
        }

        void replyAndFin(Channel accepted) {
            accepted.eventLoop().execute(() -> {
                accepted.config().setOption(EpollChannelOption.TCP_CORK, true);
                accepted.writeAndFlush(Unpooled.copiedBuffer(REPLY, StandardCharsets.US_ASCII));
                ((DuplexChannel) accepted).shutdownOutput();
            });
        }

        void close() throws InterruptedException {
            listener.close().sync();
        }
    }

    /** Collects what the client reads; at the FIN, how many segments its socket has received. */
    private static final class Reader extends ChannelInboundHandlerAdapter {
        final StringBuilder received = new StringBuilder();
        final CompletableFuture<Long> fin = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            received.append(bytes.toString(StandardCharsets.US_ASCII));
            bytes.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                fin.complete(tcpInfo(ctx.channel(), SEGS_IN));
            }
        }
    }

    /** A u32 field of the socket's {@code tcp_info}. */
    private static long tcpInfo(Channel channel, int offset) {
        ByteBuffer info = ByteBuffer.allocateDirect(232).order(ByteOrder.nativeOrder());
        try {
            ((Socket) ((UnixChannel) channel).fd()).getRawOpt(IPPROTO_TCP, TCP_INFO, info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Integer.toUnsignedLong(info.getInt(offset));
    }
}
