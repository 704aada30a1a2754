package dev.linger.proxy.config;

import java.util.Optional;

/** How a route picks an upstream for a new session ({@code balance}). */
public enum Balance implements Keyed {
    ROUND_ROBIN,
    LEAST_CONNECTIONS,
    RANDOM;

    /** The strategy named {@code key} (e.g. {@code round-robin}), if there is one. */
    public static Optional<Balance> fromKey(String key) {
        return Keyed.fromKey(Balance.class, key);
    }

    @Override
    public String toString() {
        return key();
    }
}
