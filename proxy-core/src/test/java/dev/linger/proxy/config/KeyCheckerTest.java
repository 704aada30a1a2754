package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCheckerTest {

    private static final List<String> ROUTE_KEYS = List.of("listen", "upstreams", "connect-timeout",
            "idle-timeout", "max-duration", "max-connections", "balance", "teardown");

    @Test
    void distance() {
        assertThat(KeyChecker.distance("listen", "listen")).isZero();
        assertThat(KeyChecker.distance("lisen", "listen")).isEqualTo(1);
        assertThat(KeyChecker.distance("client-reset", "client-rst")).isEqualTo(2);
        assertThat(KeyChecker.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggestsTheClosestKnownKeyForATypo() {
        assertThat(KeyChecker.closest("lisen", ROUTE_KEYS)).contains("listen");
        assertThat(KeyChecker.closest("upstream", ROUTE_KEYS)).contains("upstreams");
        assertThat(KeyChecker.closest("idle_timeout", ROUTE_KEYS)).contains("idle-timeout");
        assertThat(KeyChecker.closest("Listen", ROUTE_KEYS)).contains("listen");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThat(KeyChecker.closest("colour", ROUTE_KEYS)).isEmpty();
        assertThat(KeyChecker.closest("tls", ROUTE_KEYS)).isEmpty();
    }
}
