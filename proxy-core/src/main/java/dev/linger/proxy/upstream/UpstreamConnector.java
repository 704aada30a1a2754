package dev.linger.proxy.upstream;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Opens a session's upstream connection: picks the upstream by the route's balancer among those that
 * are selectable, connects on the session's own event loop (so both channels of a session share one
 * thread), retries on another upstream after a failure, and counts failed tries. It also runs the
 * route's active health checks, and reports each upstream's health.
 */
public final class UpstreamConnector {

    private final UpstreamSelector selector;
    /** Per upstream (by index), a bootstrap making the kind of channel its address needs. */
    private final Bootstrap[] templates;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final RouteMeters meters;
    private final int tries;
    private final Duration connectTimeout;
    private final HealthChecker checker;

    /**
     * @param route        the route whose upstreams, balancing, retry, ejection, check and connect-timeout
     *                     settings apply
     * @param transport    makes the upstream channels
     * @param resolver     resolves upstream host names without blocking
     * @param meters       the route's meters: connect failures are counted there and each upstream's
     *                     health gauge is registered there
     */
    public UpstreamConnector(RouteConfig route, Transport transport,
            AddressResolverGroup<InetSocketAddress> resolver, RouteMeters meters) {
        this.selector = new UpstreamSelector(route);
        this.meters = meters;
        this.tries = route.connectTries();
        this.resolver = resolver;
        this.connectTimeout = route.connectTimeout();
        Bootstrap template = new Bootstrap()
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0) // timed by RetryingAttempt
                .option(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS)
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, Transport.QUEUED_MEMORY)
                // TCP_NODELAY is already Netty's default: no second setsockopt per connection.
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
        this.checker = route.healthCheck().enabled()
                ? new HealthChecker(route.name(), route.healthCheck(),
                        template.clone().channel(transport.socketChannelClass()), selector.upstreams())
                : null;
        this.templates = selector.upstreams().stream()
                .map(upstream -> template.clone().channel(transport.socketChannelClass()))
                .toArray(Bootstrap[]::new);
        for (UpstreamState upstream : selector.upstreams()) {
            meters.upstreamHealthy(upstream.toString(), () -> upstream.selectable(System.nanoTime()));
        }
    }

    /**
     * Starts connecting on {@code loop}, each try opened by {@code dialer}. When no upstream is selectable the
     * attempt has failed already, without a connect.
     */
    public <S> UpstreamAttempt<S> connect(EventLoop loop, Dialer<S> dialer) {
        return new RetryingAttempt<>(selector, tries, dialer, resolver, connectTimeout, loop,
                upstream -> meters.connectFailed(upstream.toString()));
    }

    /**
     * Starts connecting a channel of the transport's kind for the upstream at {@code index} to {@code address},
     * on {@code loop}, with {@code handler} as its pipeline (for a {@link Dialer} of channels).
     */
    public ChannelFuture openChannel(int index, InetSocketAddress address, EventLoop loop, ChannelHandler handler) {
        return templates[index].clone(loop).handler(handler).connect(address);
    }

    /** Starts the route's active health checks, if it has any, on {@code group}'s event loops. */
    public void startHealthChecks(EventLoopGroup group) {
        if (checker != null) {
            checker.start(group);
        }
    }

    /** Each upstream's health and load now, in configuration order. */
    public List<UpstreamHealth> health() {
        long now = selector.now();
        Instant wallNow = Instant.now();
        return selector.upstreams().stream().map(upstream -> {
            long until = upstream.ejectedUntil(now);
            Optional<Instant> ejectedUntil = until == UpstreamState.NOT_EJECTED
                    ? Optional.empty()
                    : Optional.of(wallNow.plusNanos(until - now));
            return new UpstreamHealth(upstream.upstream().hostPort(), upstream.weight(), upstream.selectable(now),
                    upstream.checksPassing(), ejectedUntil, upstream.load());
        }).toList();
    }

    /** Stops the health checks. Sessions and their connects are left alone. Idempotent. */
    public void close() {
        if (checker != null) {
            checker.close();
        }
    }
}
