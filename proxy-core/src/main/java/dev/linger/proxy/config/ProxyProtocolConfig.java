package dev.linger.proxy.config;

import java.util.List;
import java.util.Objects;

/**
 * A route's PROXY protocol settings ({@code proxy-protocol}).
 *
 * @param accept         whether clients must open with a PROXY header (v1 or v2) naming the real client
 * @param trustedSources the networks allowed to send one, as CIDRs ({@code 10.0.0.0/8}, {@code ::1/128});
 *                       with {@code accept} on, a client from anywhere else is refused (trigger error)
 * @param send           the header the route sends to its upstreams, carrying the real client address
 */
public record ProxyProtocolConfig(boolean accept, List<Cidr> trustedSources, ProxyProtocolVersion send) {

    /** Neither accepts nor sends a header. */
    public static final ProxyProtocolConfig OFF = new ProxyProtocolConfig(false, List.of(), ProxyProtocolVersion.OFF);

    public ProxyProtocolConfig {
        trustedSources = List.copyOf(trustedSources);
        Objects.requireNonNull(send, "send");
    }
}
