package dev.linger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.transport.IoEventLoops;
import dev.linger.proxy.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class UpstreamConnectorTest {

    /**
     * The upstream half of a session relays as the client half does: the same options on its socket, checked
     * on a real connected channel.
     */
    @Test
    @Timeout(20)
    void everyUpstreamSocketGetsHalfClosureTheSharedReadSizingAndQueuedMemoryAccounting() throws Exception {
        Transport transport = Transport.select(TransportKind.AUTO);
        IoEventLoops group = new IoEventLoops(1, new DefaultThreadFactory("upstream-connector-test"),
                transport.ioHandlerFactory().get());
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> socket.getInputStream().transferTo(
                OutputStream.nullOutputStream()))) {
            RouteConfig route = TestRoutes.route("r", upstream.address());
            UpstreamConnector connector = new UpstreamConnector(route, transport, DefaultAddressResolverGroup.INSTANCE,
                    new RouteMeters("r", List.of(upstream.address().toString()), new SimpleMeterRegistry(), () -> 0));
            Channel channel = connector.openChannel(0, Upstream.of(upstream.address()).address(), group.next(),
                    new ChannelInboundHandlerAdapter()).sync().channel();
            try {
                ChannelConfig config = channel.config();
                assertThat(config.getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isTrue();
                assertThat(config.getOption(ChannelOption.RCVBUF_ALLOCATOR)).isSameAs(Transport.RECEIVE_BUFFERS);
                assertThat(config.getOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR)).isSameAs(Transport.QUEUED_MEMORY);
                assertThat(config.getOption(ChannelOption.CONNECT_TIMEOUT_MILLIS)).isZero();
            } finally {
                channel.close().syncUninterruptibly();
                connector.close();
            }
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
