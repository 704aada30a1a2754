package dev.linger.proxy.config;

/**
 * How a session ended (README, "How a session ends"): the {@code path} tag of the metrics and the access
 * log, e.g. {@code linger-timeout}.
 */
public enum TeardownPath implements Keyed {
    GRACEFUL,
    ABORT,
    LINGER_TIMEOUT;

    @Override
    public String toString() {
        return key();
    }
}
