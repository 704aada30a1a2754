package dev.linger.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive ejection ({@code ejection}): an upstream whose connects fail {@code failures} times in a row is
 * left out of selection for {@code coolDown}; a successful connect clears the count.
 *
 * @param failures consecutive connect failures that take an upstream out; 0 = never
 * @param coolDown how long it stays out before sessions may try it again
 */
public record EjectionConfig(int failures, Duration coolDown) {

    public EjectionConfig {
        if (failures < 0) {
            throw new IllegalArgumentException("failures: " + failures + " (expected: >= 0)");
        }
        Objects.requireNonNull(coolDown, "coolDown");
        if (coolDown.isNegative() || coolDown.isZero()) {
            throw new IllegalArgumentException("coolDown: " + coolDown + " (expected: > 0)");
        }
    }

    /** Whether failures take an upstream out at all. */
    public boolean enabled() {
        return failures > 0;
    }
}
