package dev.linger.proxy.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener's settings ({@code proxy.admin}).
 *
 * @param listen where the admin HTTP server binds; empty when {@code listen = ""} disables it
 * @param token  the bearer token POST calls need; empty when none is required
 */
public record AdminConfig(Optional<HostPort> listen, String token) {

    public AdminConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(token, "token");
    }

    /** Whether POST calls must carry {@code Authorization: Bearer <token>}. */
    public boolean requiresToken() {
        return !token.isEmpty();
    }
}
