package dev.linger.proxy.config;

import java.util.Optional;

/**
 * What began a session's teardown (README, "How a session ends"). The {@link #key()}, e.g.
 * {@code client-rst}, is both the key under {@code teardown.on} in the configuration and the
 * {@code trigger} tag of the metrics.
 */
public enum Trigger implements Keyed {
    CLIENT_FIN,
    UPSTREAM_FIN,
    CLIENT_RST,
    UPSTREAM_RST,
    IDLE_TIMEOUT,
    MAX_DURATION,
    CONNECT_FAILED,
    REJECTED,
    SHUTDOWN,
    ADMIN,
    ERROR;

    /** The trigger named {@code key}, if there is one. */
    public static Optional<Trigger> fromKey(String key) {
        return Keyed.fromKey(Trigger.class, key);
    }

    @Override
    public String toString() {
        return key();
    }
}
