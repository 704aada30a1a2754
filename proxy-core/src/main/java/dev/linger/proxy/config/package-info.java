/**
 * The proxy's configuration: immutable records ({@link dev.linger.proxy.config.ProxyConfig},
 * {@link dev.linger.proxy.config.RouteConfig} and the rest) and {@link dev.linger.proxy.config.ConfigLoader},
 * which layers a HOCON file over the built-in {@code reference.conf} (the only place defaults are
 * written), resolves {@code ${?VAR}} overrides, and validates everything before anything binds, reporting
 * every problem at once as one line each with its key path, value, expectation and {@code file:line}.
 * The rest of the proxy receives resolved values from these records and never sees a config source.
 */
package dev.linger.proxy.config;
