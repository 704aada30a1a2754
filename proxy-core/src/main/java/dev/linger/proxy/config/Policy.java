package dev.linger.proxy.config;

import java.util.Optional;

/** How a session ends once a trigger has begun its teardown (README, "How a session ends"). */
public enum Policy implements Keyed {
    /** Flush, half-close, drain under the linger deadline; reset at the deadline. */
    GRACEFUL,
    /** Reset both sockets at once ({@code SO_LINGER=0}). */
    ABORT;

    /** The policy named {@code key} ({@code graceful} or {@code abort}), if there is one. */
    public static Optional<Policy> fromKey(String key) {
        return Keyed.fromKey(Policy.class, key);
    }

    @Override
    public String toString() {
        return key();
    }
}
