package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.metrics.Direction;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The keys are what files, metric tags and the access log say, so each is pinned here as written. */
class KeyedTest {

    @Test
    void keysAreTheLowerCaseNamesWithDashes() {
        assertThat(keys(Trigger.values())).containsExactly("client-fin", "upstream-fin", "client-rst",
                "upstream-rst", "idle-timeout", "max-duration", "connect-failed", "rejected", "shutdown", "admin",
                "error");
        assertThat(keys(TeardownPath.values())).containsExactly("graceful", "abort", "linger-timeout");
        assertThat(keys(Direction.values())).containsExactly("upstream", "downstream");
        assertThat(keys(Policy.values())).containsExactly("graceful", "abort");
        assertThat(keys(Balance.values())).containsExactly("round-robin", "least-connections", "random");
        assertThat(keys(ProxyProtocolVersion.values())).containsExactly("off", "v1", "v2");
    }

    @Test
    void ioUringKeepsItsUnderscore() {
        assertThat(keys(TransportKind.values())).containsExactly("auto", "epoll", "io_uring", "nio");
    }

    @Test
    void toStringIsTheKeyAndFromKeyItsInverse() {
        for (Trigger trigger : Trigger.values()) {
            assertThat(trigger).hasToString(trigger.key());
            assertThat(Trigger.fromKey(trigger.key())).contains(trigger);
        }
        assertThat(TeardownPath.LINGER_TIMEOUT).hasToString("linger-timeout");
        assertThat(Direction.DOWNSTREAM).hasToString("downstream");
        assertThat(TransportKind.fromKey("io_uring")).contains(TransportKind.IO_URING);
        assertThat(TransportKind.fromKey("io-uring")).isEmpty();
        assertThat(Balance.fromKey("least-connections")).contains(Balance.LEAST_CONNECTIONS);
        assertThat(Balance.fromKey("LEAST_CONNECTIONS")).isEmpty();
        assertThat(Policy.fromKey("abort")).contains(Policy.ABORT);
        assertThat(ProxyProtocolVersion.fromKey("v2")).contains(ProxyProtocolVersion.V2);
    }

    private static String[] keys(Keyed[] constants) {
        return Arrays.stream(constants).map(Keyed::key).toArray(String[]::new);
    }
}
