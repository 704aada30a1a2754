package dev.linger.proxy;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.route.BindFailedException;
import dev.linger.proxy.route.ReloadResult;
import dev.linger.proxy.route.Route;
import dev.linger.proxy.route.Routes;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.SessionChannels;
import dev.linger.proxy.transport.IoEventLoops;
import dev.linger.proxy.transport.Transport;
import dev.linger.proxy.transport.TransportUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running proxy: event loops, one listener per route, and every session. Start it with
 * {@link #start}; {@link #reload} applies a new configuration; a draining stop is
 * {@link #stopAccepting}, {@link #awaitSessionsEnded}, {@link #shutdownSessions}, then {@link #close}.
 */
public final class ProxyServer implements AutoCloseable {

    private static final long STOP_TIMEOUT_SECONDS = 10;

    private final Transport transport;
    private final int ioThreads;
    private final EventLoopGroup ioGroup;
    private final DnsAddressResolverGroup resolver;
    private final SessionChannels channels = new SessionChannels();
    private final Routes routes;

    private ProxyServer(Transport transport, int ioThreads, MeterRegistry registry) {
        this.transport = transport;
        this.ioThreads = ioThreads;
        this.ioGroup = new IoEventLoops(ioThreads, new DefaultThreadFactory("linger-io"),
                transport.ioHandlerFactory().get());
        this.resolver = new DnsAddressResolverGroup(
                new DnsNameResolverBuilder().datagramChannelType(transport.datagramChannelClass()));
        this.routes = new Routes((config, accessLog, previous) -> {
            Route route = new Route(config, registry, transport, resolver, channels, accessLog, previous);
            route.startHealthChecks(ioGroup);
            return route;
        }, ioGroup, transport);
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
            server.routes.start(config.routes(), config.accessLog());
        } catch (BindFailedException e) {
            server.close();
            throw new ProxyStartException(e.getMessage(), e);
        }
        return server;
    }

    /**
     * Applies {@code next}'s routes atomically (see {@link Routes#reload}). Process-wide settings
     * (transport, io-threads) take effect only at a restart; {@link #restartNeededFor} names them.
     *
     * @throws BindFailedException when a new or moved listener cannot bind; nothing changed then
     */
    public ReloadResult reload(ProxyConfig next) throws BindFailedException {
        return routes.reload(next.routes(), next.accessLog());
    }

    /** The process-wide settings of {@code next} that differ from the running ones and need a restart. */
    public List<String> restartNeededFor(ProxyConfig next) {
        List<String> keys = new ArrayList<>();
        if (!transportFor(next).equals(transport.name())) {
            keys.add("proxy.transport");
        }
        if (next.effectiveIoThreads() != ioThreads) {
            keys.add("proxy.io-threads");
        }
        return keys;
    }

    private static String transportFor(ProxyConfig config) {
        try {
            return Transport.select(config.transport()).name();
        } catch (TransportUnavailableException e) {
            return config.transport().key();
        }
    }

    /** The address route {@code name}'s listener is bound to (the real port when it asked for 0). */
    public InetSocketAddress boundAddress(String name) {
        return routes.boundAddress(name);
    }

    /** Live sessions of route {@code name}. */
    public int liveSessions(String name) {
        return routes.route(name).live().count();
    }

    /** Live sessions of every route. */
    public int liveSessions() {
        return routes.routes().stream().mapToInt(route -> route.live().count()).sum();
    }

    /** Open channels of every route, client and upstream alike. */
    public int openChannels() {
        return channels.open();
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

    /** The current version of every route, in configuration order. */
    public List<Route> routes() {
        return routes.routes();
    }

    /** Closes every listener: new connections are refused; live sessions go on. Idempotent. */
    public void stopAccepting() {
        routes.stopAccepting();
    }

    /** Waits up to {@code limit} for every live session to end; true if they all did. */
    public boolean awaitSessionsEnded(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (liveSessions() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10); // the caller's thread, never an event loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return liveSessions() == 0;
            }
        }
        return true;
    }

    /**
     * Ends every live session with trigger {@code shutdown} under its route's policy, spread evenly over
     * {@code spread} (zero: all at once) so thousands of clients do not reconnect in the same instant.
     */
    public void shutdownSessions(Duration spread) {
        endAll(spread, null);
    }

    /** Resets every live session at once (trigger {@code shutdown}, path abort). */
    public void abortSessions() {
        endAll(Duration.ZERO, Policy.ABORT);
    }

    private void endAll(Duration spread, Policy override) {
        List<Session> sessions = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        for (Route route : routes.routes()) {
            Policy policy = override != null ? override : route.config().teardown().policyFor(Trigger.SHUTDOWN);
            for (Session session : route.live().snapshot()) {
                sessions.add(session);
                policies.add(policy);
            }
        }
        long step = sessions.isEmpty() ? 0 : spread.toNanos() / sessions.size();
        for (int i = 0; i < sessions.size(); i++) {
            Session session = sessions.get(i);
            Policy policy = policies.get(i);
            if (step == 0) {
                session.end(Trigger.SHUTDOWN, policy);
            } else {
                ioGroup.next().schedule(() -> session.end(Trigger.SHUTDOWN, policy), step * i, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** The longest linger deadline of any route: how long graceful ends may take. */
    public Duration longestLinger() {
        return routes.routes().stream().map(route -> route.config().teardown().lingerTimeout())
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * Stops: closes the listeners, ends every live session with trigger {@code shutdown} under its
     * route's policy, waits for them to end (at most the longest linger deadline), and stops the event
     * loops, which close whatever is left. A draining stop calls the steps above first.
     */
    @Override
    public void close() {
        routes.stopAccepting();
        shutdownSessions(Duration.ZERO);
        awaitSessionsEnded(longestLinger().plusSeconds(1));
        routes.close();
        resolver.close();
        ioGroup.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(STOP_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }
}
