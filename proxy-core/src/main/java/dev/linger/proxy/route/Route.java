package dev.linger.proxy.route;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.session.Session;
import dev.linger.proxy.session.SessionRoute;
import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.transport.Transport;
import dev.linger.proxy.upstream.Dialer;
import dev.linger.proxy.upstream.UpstreamAttempt;
import io.netty.channel.ChannelFuture;
import dev.linger.proxy.upstream.UpstreamConnector;
import dev.linger.proxy.upstream.UpstreamHealth;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.micrometer.core.instrument.MeterRegistry;
import dev.linger.proxy.session.SessionChannels;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One version of a route at run time: its settings and how it connects upstream, with the meters and
 * live sessions that every version of the same route shares. A reload that changes a route builds a
 * new version from the previous one; sessions keep the version they started on.
 */
public final class Route implements SessionRoute {

    private final RouteConfig config;
    private final RouteMeters meters;
    private final UpstreamConnector connector;
    private final DrainProbe drainProbe;
    private final SessionChannels channels;
    private final boolean accessLog;
    private final LiveSessions live;
    private final AtomicBoolean retired;

    /**
     * @param config       the route's settings
     * @param registry     where its meters are registered
     * @param transport    makes the upstream channels, and tells how a half-closed socket drained
     * @param resolver     resolves upstream host names without blocking
     * @param channels     the count of open session channels, shared by every route
     * @param accessLog    whether sessions are written to the access log
     * @param previous     the version this one replaces on reload (its meters and live sessions carry
     *                     over), or null for a new route
     */
    public Route(RouteConfig config, MeterRegistry registry, Transport transport,
            AddressResolverGroup<InetSocketAddress> resolver, SessionChannels channels, boolean accessLog,
            Route previous) {
        this.config = config;
        this.accessLog = accessLog;
        List<String> upstreamTags = config.upstreams().stream().map(HostPort::toString).toList();
        if (previous == null) {
            this.live = new LiveSessions();
            this.retired = new AtomicBoolean();
            this.meters = new RouteMeters(config.name(), upstreamTags, registry, live::count);
        } else {
            this.live = previous.live;
            this.retired = previous.retired;
            this.meters = previous.meters;
            meters.addUpstreams(upstreamTags);
        }
        this.connector = new UpstreamConnector(config, transport, resolver, meters);
        this.channels = channels;
        this.drainProbe = DrainProbe.UNKNOWN; // a channel's: the epoll socket layer reads the kernel's state itself
    }

    public String name() {
        return config.name();
    }

    @Override
    public RouteConfig config() {
        return config;
    }

    @Override
    public RouteMeters meters() {
        return meters;
    }

    @Override
    public boolean accessLog() {
        return accessLog;
    }

    @Override
    public SessionChannels channels() {
        return channels;
    }

    @Override
    public DrainProbe drainProbe() {
        return drainProbe;
    }

    /** Sessions of this route that have not ended yet. */
    public LiveSessions live() {
        return live;
    }

    /**
     * Ends the live sessions (of one upstream, if given) with {@code trigger} under {@code policy};
     * returns how many it touched.
     */
    public int endSessions(Trigger trigger, Policy policy, Optional<HostPort> upstream) {
        int touched = 0;
        for (Session session : live.snapshot()) {
            if (upstream.isEmpty() || (session.upstreamTarget() != null
                    && session.upstreamTarget().hostPort().equals(upstream.get()))) {
                session.end(trigger, policy);
                touched++;
            }
        }
        return touched;
    }

    @Override
    public boolean admit(Session session) {
        return live.tryAdd(session, config.maxConnections());
    }

    @Override
    public void ended(Session session) {
        live.remove(session);
        removeMetersIfGone();
    }

    /**
     * The route was removed by a reload: its sessions end with trigger {@code shutdown} under its own
     * policy, and its meters go once the last one has ended.
     */
    void retire() {
        retired.set(true);
        endSessions(Trigger.SHUTDOWN, config.teardown().policyFor(Trigger.SHUTDOWN), Optional.empty());
        removeMetersIfGone();
    }

    private void removeMetersIfGone() {
        if (retired.get() && live.count() == 0 && retired.compareAndSet(true, false)) {
            meters.remove();
        }
    }

    @Override
    public <S> UpstreamAttempt<S> connect(EventLoop loop, Dialer<S> dialer) {
        return connector.connect(loop, dialer);
    }

    @Override
    public ChannelFuture openChannel(int index, InetSocketAddress address, EventLoop loop, ChannelHandler handler) {
        return connector.openChannel(index, address, loop, handler);
    }

    /**
     * Each upstream's health, ejection, weight and sessions now, in configuration order (for
     * {@code GET /routes}).
     */
    public List<UpstreamHealth> upstreamHealth() {
        return connector.health();
    }

    /** Starts the route's active health checks, if it has any, on {@code group}'s event loops. */
    public void startHealthChecks(EventLoopGroup group) {
        connector.startHealthChecks(group);
    }

    /**
     * Stops what the route runs besides its sessions (its health checks). Its listener and sessions
     * are closed elsewhere. Idempotent.
     */
    void close() {
        connector.close();
    }
}
