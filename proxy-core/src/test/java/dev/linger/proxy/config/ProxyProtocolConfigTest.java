package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyProtocolConfigTest {

    private static final String ROUTE = "proxy.routes.lb { listen = \"127.0.0.1:7000\", upstreams = [\"127.0.0.1:7001\"] }\n";

    @Test
    void offByDefault() throws Exception {
        RouteConfig route = ConfigLoader.parse(ROUTE, "p.conf").routes().get(0);
        assertThat(route.proxyProtocol()).isEqualTo(ProxyProtocolConfig.OFF);
    }

    @Test
    void readsAcceptTrustedSourcesAndSend() throws Exception {
        RouteConfig route = ConfigLoader.parse(ROUTE + "proxy.routes.lb.proxy-protocol { accept = true,"
                + " trusted-sources = [\"10.0.0.0/8\", \"::1\"], send = v2 }", "p.conf").routes().get(0);
        assertThat(route.proxyProtocol()).isEqualTo(new ProxyProtocolConfig(true,
                List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("::1/128")), ProxyProtocolVersion.V2));
    }

    @Test
    void reportsEveryBadValueWithItsKey() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTE + "proxy.routes.lb.proxy-protocol {\n accept = maybe\n"
                + " trusted-sources = [\"10.0.0.0/33\", \"nonsense\"]\n send = v3\n}", "p.conf"))
                .isInstanceOfSatisfying(ConfigProblems.class, problems -> assertThat(problems.problems()).containsExactly(
                        "proxy.routes.lb.proxy-protocol.accept: 'maybe' (expected: true or false) at p.conf:3",
                        "proxy.routes.lb.proxy-protocol.trusted-sources: '10.0.0.0/33' (expected: a prefix length 0-32) at p.conf:4",
                        "proxy.routes.lb.proxy-protocol.trusted-sources: 'nonsense' (expected: an IP address or network such as 10.0.0.0/8 or ::1/128) at p.conf:4",
                        "proxy.routes.lb.proxy-protocol.send: 'v3' (expected: off, v1 or v2) at p.conf:5"));
    }

    @Test
    void acceptWithoutTrustedSourcesIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse(ROUTE + "proxy.routes.lb.proxy-protocol.accept = true", "p.conf"))
                .isInstanceOfSatisfying(ConfigProblems.class, problems -> assertThat(problems.problems()).singleElement()
                        .isEqualTo("proxy.routes.lb.proxy-protocol.accept: 'true' (expected: false, or trusted-sources"
                                + " naming the networks allowed to send a header, such as [\"10.0.0.0/8\"]) at p.conf:2"));
    }

    @Test
    void cidrsMatchByPrefix() {
        assertThat(Cidr.parse("10.0.0.0/8").contains(new InetSocketAddress("10.200.1.2", 1))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(new InetSocketAddress("11.0.0.1", 1))).isFalse();
        assertThat(Cidr.parse("192.168.1.128/25").contains(new InetSocketAddress("192.168.1.200", 1))).isTrue();
        assertThat(Cidr.parse("192.168.1.128/25").contains(new InetSocketAddress("192.168.1.100", 1))).isFalse();
        assertThat(Cidr.parse("127.0.0.1").contains(new InetSocketAddress("::ffff:127.0.0.1", 1))).isTrue();
        assertThat(Cidr.parse("::1/128").contains(new InetSocketAddress("127.0.0.1", 1))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(new InetSocketAddress("8.8.8.8", 1))).isTrue();
    }
}
