package dev.linger.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health checks ({@code health-check}): a TCP connect to each upstream every {@code interval};
 * {@code fall} failures in a row mark it unhealthy, {@code rise} successes in a row healthy again.
 *
 * @param interval time between two checks of one upstream; {@link Duration#ZERO} = no checks
 * @param timeout  a check not connected within this has failed
 * @param rise     consecutive passed checks that bring an unhealthy upstream back
 * @param fall     consecutive failed checks that take a healthy upstream out
 */
public record HealthCheckConfig(Duration interval, Duration timeout, int rise, int fall) {

    public HealthCheckConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: >= 0)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise: " + rise + ", fall: " + fall + " (expected: >= 1)");
        }
    }

    /** Whether upstreams are checked at all. */
    public boolean enabled() {
        return !interval.isZero();
    }
}
