package dev.linger.proxy.config;

/** How a session ended (contract section 3): the {@code path} tag of the metrics and the access log. */
public enum TeardownPath {
    GRACEFUL("graceful"),
    ABORT("abort"),
    LINGER_TIMEOUT("linger-timeout");

    private final String key;

    TeardownPath(String key) {
        this.key = key;
    }

    /** The name used in metric tags and the access log. */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
