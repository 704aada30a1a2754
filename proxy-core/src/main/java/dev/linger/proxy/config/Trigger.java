package dev.linger.proxy.config;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What began a session's teardown (contract section 3). The {@link #key()} is both the key under
 * {@code teardown.on} in the configuration and the {@code trigger} tag of the metrics.
 */
public enum Trigger {
    CLIENT_FIN("client-fin"),
    UPSTREAM_FIN("upstream-fin"),
    CLIENT_RST("client-rst"),
    UPSTREAM_RST("upstream-rst"),
    IDLE_TIMEOUT("idle-timeout"),
    MAX_DURATION("max-duration"),
    CONNECT_FAILED("connect-failed"),
    REJECTED("rejected"),
    SHUTDOWN("shutdown"),
    ADMIN("admin"),
    ERROR("error");

    private static final Map<String, Trigger> BY_KEY =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Trigger::key, Function.identity()));

    private final String key;

    Trigger(String key) {
        this.key = key;
    }

    /** The name used in configuration files and metric tags, e.g. {@code client-rst}. */
    public String key() {
        return key;
    }

    /** The trigger named {@code key}, if there is one. */
    public static Optional<Trigger> fromKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    @Override
    public String toString() {
        return key;
    }
}
