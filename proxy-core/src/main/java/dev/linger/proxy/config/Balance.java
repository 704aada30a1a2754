package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/** How a route picks an upstream for a new session ({@code balance}). */
public enum Balance {
    ROUND_ROBIN,
    LEAST_CONNECTIONS,
    RANDOM;

    /** The name used in configuration files, e.g. {@code round-robin}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The strategy named {@code key}, if there is one. */
    public static Optional<Balance> fromKey(String key) {
        for (Balance balance : values()) {
            if (balance.key().equals(key)) {
                return Optional.of(balance);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
