/**
 * The proxy's meters: their names and tags in one place ({@link dev.linger.proxy.metrics.MetricNames}),
 * and per route a {@link dev.linger.proxy.metrics.RouteMeters} built once at start so no event looks a
 * meter up.
 */
package dev.linger.proxy.metrics;
