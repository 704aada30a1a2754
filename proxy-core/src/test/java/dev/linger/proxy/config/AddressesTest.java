package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:80", "0.0.0.0:80", "[::]:80", "[::1]:80", "[fe80::1%eth0]:80",
        "[::ffff:10.0.0.1]:80", "localhost:80", "db-1.internal:80", "my_host:80"})
    void usableHosts(String text) {
        assertThat(Addresses.hostProblem(HostPort.parse(text))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*:80", "256.0.0.1:80", "[::g]:80", "[1:2:3:4:5:6:7:8:9]:80", "web server:80",
        "host/x:80"})
    void unusableHosts(String text) {
        assertThat(Addresses.hostProblem(HostPort.parse(text))).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:80, 127.0.0.1:80, true",
        "LOCALHOST:80, localhost:80, true",
        "127.0.0.1:80, 127.0.0.1:81, false",
        "127.0.0.1:80, 127.0.0.2:80, false",
        "0.0.0.0:80,   127.0.0.1:80, true",
        "0.0.0.0:80,   db.internal:80, true",
        "0.0.0.0:80,   [::1]:80,     false",
        "[::]:80,      127.0.0.1:80, true",
        "[::]:80,      [::1]:80,     true",
        "[::1]:80,     [0:0:0:0:0:0:0:1]:80, true",
        "[0:0:0:0:0:0:0:0]:80, 10.0.0.1:80, true",
    })
    void overlap(String a, String b, boolean clash) {
        assertThat(Addresses.overlap(HostPort.parse(a), HostPort.parse(b))).isEqualTo(clash);
        assertThat(Addresses.overlap(HostPort.parse(b), HostPort.parse(a))).isEqualTo(clash);
    }
}
