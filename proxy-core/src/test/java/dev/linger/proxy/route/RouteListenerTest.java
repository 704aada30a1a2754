package dev.linger.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.linger.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import org.junit.jupiter.api.Test;

class RouteListenerTest {

    /**
     * The relay's buffer sizing and write accounting hold only if every accepted socket gets them: the
     * child options {@link RouteListener#bind} applies are the one place that says so.
     */
    @Test
    void everyAcceptedSocketGetsHalfClosureTheSharedReadSizingAndQueuedMemoryAccounting() {
        ServerBootstrap bootstrap = RouteListener.withSessionSocketOptions(new ServerBootstrap());

        assertThat(bootstrap.config().childOptions()).contains(
                entry(ChannelOption.ALLOW_HALF_CLOSURE, true),
                entry(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS),
                entry(ChannelOption.MESSAGE_SIZE_ESTIMATOR, Transport.QUEUED_MEMORY));
    }
}
