package dev.linger.proxy.config;

import java.util.Optional;

/** Which PROXY protocol header, if any, a route sends to its upstreams ({@code proxy-protocol.send}). */
public enum ProxyProtocolVersion implements Keyed {
    OFF,
    V1,
    V2;

    /** The version named {@code key} ({@code off}, {@code v1} or {@code v2}), if there is one. */
    public static Optional<ProxyProtocolVersion> fromKey(String key) {
        return Keyed.fromKey(ProxyProtocolVersion.class, key);
    }

    @Override
    public String toString() {
        return key();
    }
}
