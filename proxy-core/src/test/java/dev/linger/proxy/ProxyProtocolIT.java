package dev.linger.proxy;

import static dev.linger.proxy.testing.RunningProxy.series;
import static dev.linger.proxy.testing.TestRoutes.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Cidr;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.ProxyProtocolConfig;
import dev.linger.proxy.config.ProxyProtocolVersion;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** PROXY protocol round trips against Netty's own decoder on the upstream side. */
@ParameterizedClass(name = "{0}")
@MethodSource("transports")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {

    @Parameter
    TransportKind transport;

    static List<TransportKind> transports() {
        return TestRoutes.availableTransports();
    }

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

    /** What the upstream decoded: the header as text, then it echoes the bytes that follow. */
    private record Header(HAProxyProtocolVersion version, String source, int sourcePort, String destination,
            int destinationPort) {
    }

    private EventLoopGroup group;
    private Channel upstream;
    private final CompletableFuture<Header> decoded = new CompletableFuture<>();
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void startDecodingUpstream() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        upstream = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HAProxyMessageDecoder(), new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof HAProxyMessage header) {
                                    decoded.complete(new Header(header.protocolVersion(), header.sourceAddress(),
                                            header.sourcePort(), header.destinationAddress(), header.destinationPort()));
                                } else {
                                    ctx.writeAndFlush(((ByteBuf) msg).retain());
                                }
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HostPort upstreamAddress() {
        return new HostPort("127.0.0.1", ((InetSocketAddress) upstream.localAddress()).getPort());
    }

    private RouteConfig route(ProxyProtocolConfig proxyProtocol) {
        return TestRoutes.withProxyProtocol(TestRoutes.route("pp", upstreamAddress()), proxyProtocol);
    }

    @Test
    void sendsV1WithTheConnectionsOwnAddresses() throws Exception {
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1,
                        route(new ProxyProtocolConfig(false, List.of(), ProxyProtocolVersion.V1))));
                Socket client = proxy.connect("pp")) {
            assertEchoes(client);
            assertThat(decoded.get(10, TimeUnit.SECONDS)).isEqualTo(new Header(HAProxyProtocolVersion.V1,
                    "127.0.0.1", client.getLocalPort(), "127.0.0.1", proxy.port("pp")));
        }
    }

    @Test
    void acceptsV1FromATrustedSourceAndPassesTheRealClientOnAsV2() throws Exception {
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1, route(new ProxyProtocolConfig(
                        true, List.of(Cidr.parse("127.0.0.0/8")), ProxyProtocolVersion.V2))));
                Socket client = proxy.connect("pp")) {
            client.getOutputStream().write("PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertEchoes(client);
            assertThat(decoded.get(10, TimeUnit.SECONDS)).isEqualTo(new Header(HAProxyProtocolVersion.V2,
                    "203.0.113.7", 40000, "198.51.100.1", 443));
        }
    }

    @Test
    void acceptsV2AndPassesTheRealClientOnAsV1() throws Exception {
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1, route(new ProxyProtocolConfig(
                        true, List.of(Cidr.parse("127.0.0.1")), ProxyProtocolVersion.V1))));
                Socket client = proxy.connect("pp")) {
            client.getOutputStream().write(v2Header("2001:db8::7", "2001:db8::1", 50000, 8443));
            assertEchoes(client);
            assertThat(decoded.get(10, TimeUnit.SECONDS)).isEqualTo(new Header(HAProxyProtocolVersion.V1,
                    "2001:db8::7", 50000, "2001:db8::1", 8443));
        }
    }

    @Test
    void anUntrustedSourceIsRefusedWithoutConnectingUpstream() throws Exception {
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1, route(new ProxyProtocolConfig(
                        true, List.of(Cidr.parse("10.0.0.0/8")), ProxyProtocolVersion.OFF))));
                Socket client = proxy.connect("pp")) {
            client.getOutputStream().write("PROXY TCP4 203.0.113.7 198.51.100.1 40000 443\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            client.shutdownOutput();
            proxy.awaitEnded("pp", Map.of(series(Trigger.ERROR, TeardownPath.GRACEFUL), 1L));
            assertThat(connections.get()).isZero();
        }
    }

    @Test
    void aTrustedSourceWithoutAValidHeaderIsRefused() throws Exception {
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1, route(new ProxyProtocolConfig(
                        true, List.of(Cidr.parse("127.0.0.0/8")), ProxyProtocolVersion.OFF))));
                Socket client = proxy.connect("pp")) {
            client.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Wire.readToEnd(client.getInputStream());
            client.close();
            proxy.awaitEnded("pp", Map.of(series(Trigger.ERROR, TeardownPath.GRACEFUL), 1L));
            assertThat(connections.get()).isZero();
        }
    }

    @Test
    void aHeaderCutShortByTheClientsFinEndsOnThatFinAtTheHeadersDeadlineWithoutAnUpstream() throws Exception {
        // Not malformed (no line end yet): the FIN comes first, and the header's deadline ends the wait for the rest.
        RouteConfig route = TestRoutes.withConnectTimeout(route(new ProxyProtocolConfig(
                true, List.of(Cidr.parse("127.0.0.0/8")), ProxyProtocolVersion.OFF)), Duration.ofMillis(300));
        try (RunningProxy proxy = new RunningProxy(proxy(transport, 1, route));
                Socket client = proxy.connect("pp")) {
            client.getOutputStream().write("PROXY TCP4 203.0.113.7".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();
            assertThat(Wire.readToEnd(client.getInputStream()).end()).isEqualTo(End.FIN);
            proxy.awaitEnded("pp", Map.of(series(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL), 1L));
            assertThat(connections.get()).isZero();
        }
    }

    private static void assertEchoes(Socket client) throws Exception {
        client.getOutputStream().write(HELLO);
        assertThat(client.getInputStream().readNBytes(HELLO.length)).isEqualTo(HELLO);
    }

    private static byte[] v2Header(String source, String destination, int sourcePort, int destinationPort) {
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY,
                HAProxyProxiedProtocol.TCP6, source, destination, sourcePort, destinationPort));
        ByteBuf bytes = encoder.readOutbound();
        try {
            return ByteBufUtil.getBytes(bytes);
        } finally {
            bytes.release();
            encoder.finishAndReleaseAll();
        }
    }
}
