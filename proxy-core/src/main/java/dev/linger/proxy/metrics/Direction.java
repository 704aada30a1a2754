package dev.linger.proxy.metrics;

import dev.linger.proxy.config.Keyed;

/** Which way bytes travel; the {@code direction} tag of the byte counters ({@code upstream}, {@code downstream}). */
public enum Direction implements Keyed {
    /** Client to upstream. */
    UPSTREAM,
    /** Upstream to client. */
    DOWNSTREAM;

    @Override
    public String toString() {
        return key();
    }
}
