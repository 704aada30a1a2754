package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void hostAndPort() {
        assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    }

    @Test
    void bracketedIpv6() {
        HostPort address = HostPort.parse("[::1]:443");

        assertThat(address).isEqualTo(new HostPort("::1", 443));
        assertThat(address).hasToString("[::1]:443");
    }

    @Test
    void hostName() {
        assertThat(HostPort.parse("redis-1.cache.internal:6379"))
                .isEqualTo(new HostPort("redis-1.cache.internal", 6379));
    }

    @Test
    void surroundingSpaceIsIgnored() {
        assertThat(HostPort.parse(" localhost:80 ")).isEqualTo(new HostPort("localhost", 80));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1:80", "[::1]:443", "[fe80::1]:1", "db:65535"})
    void formatsAsWritten(String text) {
        assertThat(HostPort.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1           | expected: host:port or [ipv6]:port",
        "::1:80             | expected: host:port or [ipv6]:port",
        ":80                | expected: host:port or [ipv6]:port",
        "[::1]              | expected: [ipv6]:port",
        "[::1:80            | expected: [ipv6]:port",
        "[]:80              | expected: host:port with a host",
        "host:              | expected: port 1-65535",
        "host:http          | expected: port 1-65535",
        "host:0             | expected: port 1-65535",
        "host:65536         | expected: port 1-65535",
        "127.0.0.1:99999    | expected: port 1-65535",
    })
    void badOnesSayWhatWasExpected(String text, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostPort.parse(text)).withMessage(message);
    }
}
