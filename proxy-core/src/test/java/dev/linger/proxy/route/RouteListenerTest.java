package dev.linger.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.session.SessionChannels;
import dev.linger.proxy.testing.TestRoutes;
import dev.linger.proxy.transport.IoEventLoops;
import dev.linger.proxy.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RouteListenerTest {

    /**
     * The relay's buffer sizing and write accounting hold only if every accepted socket gets them: the
     * child options are the one place that says so.
     */
    @Test
    @Timeout(20)
    void everyAcceptedSocketGetsHalfClosureTheSharedReadSizingAndQueuedMemoryAccounting() throws Exception {
        Transport transport = Transport.select(TransportKind.AUTO);
        IoEventLoops group = new IoEventLoops(1, new DefaultThreadFactory("route-listener-test"),
                transport.ioHandlerFactory().get());
        Route route = new Route(TestRoutes.route("r", new HostPort("127.0.0.1", 9)), new SimpleMeterRegistry(),
                transport, DefaultAddressResolverGroup.INSTANCE, new SessionChannels(), false, null);
        try {
            RouteListener listener = RouteListener.bind(route, group, transport);
            try {
                assertThat(listener.sessionSocketOptions()).contains(
                        entry(ChannelOption.ALLOW_HALF_CLOSURE, true),
                        entry(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS),
                        entry(ChannelOption.MESSAGE_SIZE_ESTIMATOR, Transport.QUEUED_MEMORY));
            } finally {
                listener.close().syncUninterruptibly();
            }
        } finally {
            route.close();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
