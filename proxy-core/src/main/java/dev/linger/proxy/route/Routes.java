package dev.linger.proxy.route;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The live routes and their listeners, and the one place a reload changes them. A reload binds every
 * listener it needs first; only when all are bound does it swap anything, so a reload that fails
 * changes nothing and one that succeeds is applied whole.
 */
public final class Routes {

    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final RouteFactory factory;
    private final EventLoopGroup group;
    private final Transport transport;
    private volatile Map<String, RouteListener> listeners = Map.of();
    private boolean accepting = true;

    public Routes(RouteFactory factory, EventLoopGroup group, Transport transport) {
        this.factory = factory;
        this.group = group;
        this.transport = transport;
    }

    /** Binds a listener for each route; on failure closes the ones already bound and throws. */
    public synchronized void start(List<RouteConfig> routes, boolean accessLog) throws BindFailedException {
        reload(routes, accessLog);
    }

    /**
     * Applies a new set of routes: unchanged ones keep their listener and sessions; a changed one
     * serves its new settings to new sessions (its listener is rebound only if its address changed);
     * a new one starts listening; a removed one stops listening and its sessions end with trigger
     * {@code shutdown} under its own policy.
     *
     * @throws BindFailedException when a listener cannot bind; nothing has changed then
     */
    public synchronized ReloadResult reload(List<RouteConfig> next, boolean accessLog) throws BindFailedException {
        if (!accepting) {
            throw new IllegalStateException("routes: stopped (expected: a proxy that is not shutting down)");
        }
        Map<String, RouteListener> current = listeners;
        Map<String, RouteListener> updated = new LinkedHashMap<>();
        Map<String, Route> versions = new LinkedHashMap<>();
        List<RouteListener> bound = new ArrayList<>();
        List<Route> created = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        try {
            for (RouteConfig config : next) {
                RouteListener existing = current.get(config.name());
                Route previous = existing == null ? null : existing.route();
                if (previous != null && previous.config().equals(config) && previous.accessLog() == accessLog) {
                    updated.put(config.name(), existing);
                    unchanged.add(config.name());
                    continue;
                }
                Route version = factory.create(config, accessLog, previous);
                created.add(version);
                (previous == null ? added : changed).add(config.name());
                if (previous != null && previous.config().listen().equals(config.listen())) {
                    updated.put(config.name(), existing);
                    versions.put(config.name(), version);
                } else {
                    RouteListener listener = RouteListener.bind(version, group, transport);
                    bound.add(listener);
                    updated.put(config.name(), listener);
                }
            }
        } catch (BindFailedException | RuntimeException e) {
            bound.forEach(listener -> listener.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            created.forEach(Route::close);
            throw e;
        }
        // Everything is bound: from here on nothing can fail.
        versions.forEach((name, version) -> {
            RouteListener listener = updated.get(name);
            Route replaced = listener.route();
            listener.serve(version);
            replaced.close();
        });
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, RouteListener> entry : current.entrySet()) {
            RouteListener old = entry.getValue();
            if (updated.get(entry.getKey()) != old) {
                old.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                old.route().close();
            }
            if (!updated.containsKey(entry.getKey())) {
                removed.add(entry.getKey());
                old.route().retire();
            }
        }
        listeners = Collections.unmodifiableMap(updated); // insertion order: the configuration's
        return new ReloadResult(added, changed, removed, unchanged);
    }

    /** Closes every listener: no new connection is accepted; live sessions are not touched. */
    public synchronized void stopAccepting() {
        accepting = false;
        listeners.values().forEach(listener ->
                listener.close().awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    /** Stops what the routes run besides sessions (health checks). Call once nothing is accepted. */
    public synchronized void close() {
        stopAccepting();
        listeners.values().forEach(listener -> listener.route().close());
    }

    /**
     * The address route {@code name}'s listener is bound to (the real port when it asked for 0).
     *
     * @throws NoSuchElementException when no route has that name
     */
    public InetSocketAddress boundAddress(String name) {
        return listener(name).localAddress();
    }

    /**
     * The version of route {@code name} that new connections get.
     *
     * @throws NoSuchElementException when no route has that name
     */
    public Route route(String name) {
        return listener(name).route();
    }

    private RouteListener listener(String name) {
        RouteListener listener = listeners.get(name);
        if (listener == null) {
            throw new NoSuchElementException(
                    "route: '" + name + "' (expected one of: " + routes().stream().map(Route::name).toList() + ")");
        }
        return listener;
    }

    /** The current version of every route, in configuration order. */
    public List<Route> routes() {
        return listeners.values().stream().map(RouteListener::route).toList();
    }
}
