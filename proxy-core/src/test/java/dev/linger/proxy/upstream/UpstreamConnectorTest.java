package dev.linger.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamConnectorTest {

    /** The upstream half of a session relays as the client half does: the same options on its socket. */
    @Test
    void everyUpstreamSocketGetsHalfClosureTheSharedReadSizingAndQueuedMemoryAccounting() throws Exception {
        RouteConfig route = TestRoutes.route("r", new HostPort("127.0.0.1", 9));
        UpstreamConnector connector = new UpstreamConnector(route, Transport.select(TransportKind.AUTO),
                DefaultAddressResolverGroup.INSTANCE,
                new RouteMeters("r", List.of("127.0.0.1:9"), new SimpleMeterRegistry(), () -> 0));

        assertThat(connector.sessionSocketOptions()).contains(
                entry(ChannelOption.ALLOW_HALF_CLOSURE, true),
                entry(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS),
                entry(ChannelOption.MESSAGE_SIZE_ESTIMATOR, Transport.QUEUED_MEMORY),
                entry(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0));
        connector.close();
    }
}
