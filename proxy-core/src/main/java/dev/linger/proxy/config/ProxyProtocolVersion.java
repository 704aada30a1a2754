package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/** Which PROXY protocol header, if any, a route sends to its upstreams ({@code proxy-protocol.send}). */
public enum ProxyProtocolVersion {
    OFF,
    V1,
    V2;

    /** The name used in configuration files: {@code off}, {@code v1} or {@code v2}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ProxyProtocolVersion> fromKey(String key) {
        for (ProxyProtocolVersion version : values()) {
            if (version.key().equals(key)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
