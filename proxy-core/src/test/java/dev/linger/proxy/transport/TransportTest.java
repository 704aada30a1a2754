package dev.linger.proxy.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.TransportKind;
import io.netty.channel.epoll.Epoll;
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
}
