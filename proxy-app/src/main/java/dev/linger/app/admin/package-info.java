/**
 * The admin HTTP listener (the README's "Admin API"): {@link dev.linger.app.admin.AdminServer} serves
 * {@code /metrics}, {@code /healthz}, {@code /readyz}, {@code /routes} and the POST calls that abort or
 * drain a route's sessions, on Netty's HTTP codec and on its own single event loop, never the relay's.
 * {@link dev.linger.app.admin.PrometheusMetrics} is the registry behind {@code /metrics}, with the JVM
 * and Netty binders beside the proxy's own meters. Request handling is a plain class
 * ({@code AdminApi}) that the Netty handler only feeds, so every answer is unit-testable without sockets.
 */
package dev.linger.app.admin;
