package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Cidr;
import dev.linger.proxy.config.ProxyProtocolConfig;
import dev.linger.proxy.config.ProxyProtocolVersion;
import dev.linger.proxy.transport.DrainProbe;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeaderIntakeTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("10.1.2.3", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("10.9.9.9", 8443);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A client channel with real addresses, as a route's listener accepts it. */
    private final EmbeddedChannel client = new EmbeddedChannel(new HAProxyMessageDecoder()) {
        @Override
        protected SocketAddress remoteAddress0() {
            return PEER;
        }

        @Override
        protected SocketAddress localAddress0() {
            return LOCAL;
        }
    };
    private final AtomicInteger refused = new AtomicInteger();

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
    }

    private static ProxyProtocolConfig trusting(String cidr) {
        return new ProxyProtocolConfig(true, List.of(Cidr.parse(cidr)), ProxyProtocolVersion.OFF);
    }

    private static HAProxyMessage header(String source, int port) {
        return new HAProxyMessage(HAProxyProtocolVersion.V2, HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4,
                source, "192.0.2.80", port, 443);
    }

    @Test
    void aClientOutsideTheTrustedNetworksIsRefusedAtOnce() {
        HeaderIntake intake = new HeaderIntake(client.eventLoop(), new ChannelSocket(client, DrainProbe.UNKNOWN));

        intake.await(trusting("192.168.0.0/16"), TIMEOUT, refused::incrementAndGet);

        assertThat(refused).hasValue(1);
        assertThat(intake.awaiting()).isFalse();
        assertThat(intake.client()).isEqualTo(PEER);
    }

    @Test
    void theHeaderNamesTheRealClientAndWhatItMeantToReach() {
        HeaderIntake intake = new HeaderIntake(client.eventLoop(), new ChannelSocket(client, DrainProbe.UNKNOWN));
        intake.await(trusting("10.0.0.0/8"), TIMEOUT, refused::incrementAndGet);
        assertThat(intake.awaiting()).isTrue();
        HAProxyMessage header = header("198.51.100.7", 5555);

        intake.arrived(header);
        header.release();

        assertThat(intake.awaiting()).isFalse();
        assertThat(intake.client()).isEqualTo(new InetSocketAddress("198.51.100.7", 5555));
        HAProxyMessage sent = intake.toSend(ProxyProtocolVersion.V1);
        assertThat(sent.sourceAddress() + ":" + sent.sourcePort()).isEqualTo("198.51.100.7:5555");
        assertThat(sent.destinationAddress() + ":" + sent.destinationPort()).isEqualTo("192.0.2.80:443");
        sent.release();
        client.advanceTimeBy(TIMEOUT.toNanos() * 2, TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();
        assertThat(refused).as("the deadline is off once the header came").hasValue(0);
    }

    @Test
    void withoutAHeaderTheDestinationSentOnIsTheAddressTheClientReached() {
        HAProxyMessage sent = new HeaderIntake(client.eventLoop(), new ChannelSocket(client, DrainProbe.UNKNOWN)).toSend(ProxyProtocolVersion.V2);

        assertThat(sent.sourceAddress() + ":" + sent.sourcePort()).isEqualTo("10.1.2.3:40000");
        assertThat(sent.destinationAddress() + ":" + sent.destinationPort()).isEqualTo("10.9.9.9:8443");
        sent.release();
    }

    @Test
    void aHeaderThatDoesNotComeInTimeRefusesTheClient() {
        client.freezeTime();
        HeaderIntake intake = new HeaderIntake(client.eventLoop(), new ChannelSocket(client, DrainProbe.UNKNOWN));
        intake.await(trusting("10.0.0.0/8"), TIMEOUT, refused::incrementAndGet);

        client.advanceTimeBy(TIMEOUT.toNanos() - 1, TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();
        assertThat(refused).hasValue(0);
        client.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        client.runScheduledPendingTasks();
        assertThat(refused).hasValue(1);
    }

    @Test
    void aMalformedHeaderTakesTheDecoderOutOfThePipeline() {
        HeaderIntake intake = new HeaderIntake(client.eventLoop(), new ChannelSocket(client, DrainProbe.UNKNOWN));
        intake.await(trusting("10.0.0.0/8"), TIMEOUT, refused::incrementAndGet);

        intake.malformed();

        assertThat(client.pipeline().get(HAProxyMessageDecoder.class)).isNull();
        assertThat(intake.awaiting()).isFalse();
    }
}
