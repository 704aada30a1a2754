package dev.linger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.linger.proxy.config.TransportKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void autoPrefersEpollAndFallsBackToNio() throws Exception {
        assertThat(Transport.select(TransportKind.AUTO).name()).isEqualTo(Epoll.isAvailable() ? "epoll" : "nio");
    }

    @Test
    void nioIsAlwaysThereAndExposesNoTcpInfo() throws Exception {
        Transport nio = Transport.select(TransportKind.NIO);
        assertThat(nio.name()).isEqualTo("nio");
        assertThat(nio.exposesTcpInfo()).isFalse();
    }

    @Test
    void epollGivesIpv4AddressesIpv4OnlySockets() throws Exception {
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        Transport epoll = Transport.select(TransportKind.EPOLL);
        InetSocketAddress ipv4 = new InetSocketAddress("127.0.0.1", 0);
        InetSocketAddress ipv6 = new InetSocketAddress("::1", 0);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, epoll.ioHandlerFactory().get());
        try {
            assertThat(bind(group, epoll.socketChannelFactory(ipv4).newChannel(), ipv6).cause())
                    .as("an IPv4-only socket cannot take an IPv6 address").isNotNull();
            assertThat(bind(group, epoll.serverChannelFactory(ipv4).newChannel(), ipv6).cause()).isNotNull();
            assertThat(bind(group, epoll.socketChannelFactory(ipv6).newChannel(), ipv6).isSuccess()).isTrue();
            assertThat(bind(group, epoll.serverChannelFactory(ipv6).newChannel(), ipv6).isSuccess()).isTrue();
            assertThat(bind(group, epoll.socketChannelFactory(ipv4).newChannel(), ipv4).isSuccess()).isTrue();
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void theIoUringWorkaroundReachesNettysInternals() {
        // It reaches them through reflection: a Netty upgrade that moves them must fail here, not only log.
        assumeTrue(IoUring.isAvailable(), "io_uring is not available here");
        assertThat(IoUringHalfClosure.available()).isTrue();
    }

    @Test
    void theEpollInterestSetReachesNettysInternals() {
        // The half-closure workaround and the registration with EPOLLIN go through reflection too.
        assumeTrue(Epoll.isAvailable(), "epoll is not available here");
        assertThat(EpollInterest.available()).isTrue();
    }

    private static ChannelFuture bind(EventLoopGroup group, Channel channel, InetSocketAddress address) {
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter());
        group.register(channel).syncUninterruptibly();
        ChannelFuture bound = channel.bind(address).awaitUninterruptibly();
        channel.close().syncUninterruptibly();
        return bound;
    }
}
