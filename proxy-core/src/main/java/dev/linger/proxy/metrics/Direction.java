package dev.linger.proxy.metrics;

/** Which way bytes travel; the {@code direction} tag of the byte counters. */
public enum Direction {
    /** Client to upstream. */
    UPSTREAM("upstream"),
    /** Upstream to client. */
    DOWNSTREAM("downstream");

    private final String key;

    Direction(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
