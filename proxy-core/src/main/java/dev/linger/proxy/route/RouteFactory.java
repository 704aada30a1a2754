package dev.linger.proxy.route;

import dev.linger.proxy.config.RouteConfig;

/** Builds a version of a route from its settings, carrying over what the previous version shares. */
@FunctionalInterface
public interface RouteFactory {

    /**
     * @param config    the route's settings
     * @param accessLog whether its sessions are written to the access log
     * @param previous  the version being replaced, or null for a new route
     */
    Route create(RouteConfig config, boolean accessLog, Route previous);
}
