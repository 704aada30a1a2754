package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/** How a session ends once a trigger has begun its teardown (contract section 3). */
public enum Policy {
    /** Flush, half-close, drain under the linger deadline; reset at the deadline. */
    GRACEFUL,
    /** Reset both sockets at once ({@code SO_LINGER=0}). */
    ABORT;

    /** The name used in configuration files: {@code graceful} or {@code abort}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code key}, if there is one. */
    public static Optional<Policy> fromKey(String key) {
        for (Policy policy : values()) {
            if (policy.key().equals(key)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
