package dev.linger.proxy;

import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.route.BindFailedException;
import dev.linger.proxy.route.Route;
import dev.linger.proxy.route.RouteListener;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.transport.Transport;
import dev.linger.proxy.transport.TransportUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;

/**
 * The running proxy: event loops, one listener per route, and every session. Start it with
 * {@link #start(ProxyConfig)}; {@link #close()} stops it.
 */
public final class ProxyServer implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Transport transport;
    private final MeterRegistry registry;
    private final EventLoopGroup ioGroup;
    private final DnsAddressResolverGroup resolver;
    private final ChannelGroup channels;
    private final Map<String, RouteListener> listeners = new LinkedHashMap<>();

    private ProxyServer(Transport transport, int ioThreads, MeterRegistry registry) {
        this.transport = transport;
        this.registry = registry;
        this.ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("linger-io"),
                transport.ioHandlerFactory().get());
        this.resolver = new DnsAddressResolverGroup(
                new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannelClass()));
        this.channels = new DefaultChannelGroup("linger-sessions", GlobalEventExecutor.INSTANCE);
    }

    /**
     * Starts the event loops and binds every route's listener; returns once all are bound.
     *
     * @throws ProxyStartException when the transport cannot load or a listener cannot bind; nothing
     *                             is left running then
     */
    public static ProxyServer start(ProxyConfig config) throws ProxyStartException {
        return start(config, new SimpleMeterRegistry());
    }

    /**
     * Starts the proxy with its meters registered in {@code registry}; every route's series exist at
     * zero once this returns.
     *
     * @throws ProxyStartException when the transport cannot load or a listener cannot bind; nothing
     *                             is left running then
     */
    public static ProxyServer start(ProxyConfig config, MeterRegistry registry) throws ProxyStartException {
        Transport transport;
        try {
            transport = Transport.select(config.transport());
        } catch (TransportUnavailableException e) {
            throw new ProxyStartException(e.getMessage(), e);
        }
        ProxyServer server = new ProxyServer(transport, config.effectiveIoThreads(), registry);
        try {
            for (RouteConfig routeConfig : config.routes()) {
                server.bind(routeConfig);
            }
        } catch (BindFailedException e) {
            server.close();
            throw new ProxyStartException(e.getMessage(), e);
        }
        return server;
    }

    private void bind(RouteConfig config) throws BindFailedException {
        Route route = new Route(config, registry, transport.socketChannelClass(), transport.drainProbe(),
                resolver, channels);
        try {
            listeners.put(config.name(), RouteListener.bind(route, ioGroup, transport.serverChannelClass(), channels));
        } catch (BindFailedException e) {
            route.meters().remove();
            throw e;
        }
    }

    /** The address route {@code name}'s listener is bound to (the real port when it asked for 0). */
    public InetSocketAddress boundAddress(String name) {
        return listener(name).localAddress();
    }

    /** Live sessions of route {@code name}. */
    public int liveSessions(String name) {
        return listener(name).route().live().count();
    }

    /** Open channels of every route, client and upstream alike. */
    public int openChannels() {
        return channels.size();
    }

    /** The transport in use: {@code epoll}, {@code io_uring} or {@code nio}. */
    public String transportName() {
        return transport.name();
    }

    /**
     * The relay's event loops, for metrics binders such as Micrometer's {@code NettyEventExecutorMetrics};
     * callers only observe them, and {@link #close()} stops them.
     */
    public Iterable<EventExecutor> eventLoops() {
        return ioGroup;
    }

    /** The routes being served, in configuration order. */
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        listeners.values().forEach(listener -> routes.add(listener.route()));
        return routes;
    }

    private RouteListener listener(String name) {
        RouteListener listener = listeners.get(name);
        if (listener == null) {
            throw new NoSuchElementException("route: '" + name + "' (expected one of: " + listeners.keySet() + ")");
        }
        return listener;
    }

    /**
     * Stops: closes the listeners, ends every live session with trigger {@code shutdown} under its
     * route's policy, waits for them to end (at most the longest linger deadline), closes whatever is
     * left, and stops the event loops. The draining shutdown of SIGTERM (waiting for sessions to end by
     * themselves first) belongs to the process lifecycle, which calls this last.
     */
    @Override
    public void close() {
        listeners.values().forEach(listener ->
                listener.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        Duration longestLinger = Duration.ZERO;
        for (RouteListener listener : listeners.values()) {
            Duration linger = listener.route().config().teardown().lingerTimeout();
            longestLinger = linger.compareTo(longestLinger) > 0 ? linger : longestLinger;
            listener.route().live().snapshot().forEach(session -> session.end(Trigger.SHUTDOWN));
        }
        awaitNoLiveSessions(longestLinger.plusSeconds(1));
        channels.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        resolver.close();
        ioGroup.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(STOP_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }

    private void awaitNoLiveSessions(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (routes().stream().anyMatch(route -> route.live().count() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // the caller's thread, never an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
