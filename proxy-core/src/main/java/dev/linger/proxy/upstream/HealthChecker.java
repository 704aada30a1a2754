package dev.linger.proxy.upstream;

import dev.linger.proxy.config.HealthCheckConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one route: every {@code interval}, a TCP connect to each upstream, made on
 * one of the proxy's event loops without blocking it. {@code fall} failures in a row mark the upstream
 * unhealthy, {@code rise} passes in a row healthy again. Each upstream is checked from one event loop
 * only, so its counters are confined to that thread; the verdict is published through a volatile.
 */
final class HealthChecker {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    /** Check channels read nothing and send nothing; they only need a handler to exist. */
    @ChannelHandler.Sharable
    private static final class Idle extends ChannelInboundHandlerAdapter {
    }

    private static final ChannelHandler IDLE = new Idle();

    private final String route;
    private final HealthCheckConfig config;
    private final Bootstrap template;
    private final List<UpstreamState> upstreams;
    private final List<Probe> probes = new ArrayList<>();
    private volatile boolean closed;

    HealthChecker(String route, HealthCheckConfig config, Bootstrap template, List<UpstreamState> upstreams) {
        this.route = route;
        this.config = config;
        this.upstreams = upstreams;
        long timeout = Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        this.template = template.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout))
                .option(ChannelOption.AUTO_READ, false)
                .handler(IDLE);
    }

    /** Starts checking every upstream, spread over {@code group}'s event loops; the first checks run now. */
    synchronized void start(EventLoopGroup group) {
        if (closed || !probes.isEmpty()) {
            return;
        }
        long interval = config.interval().toNanos();
        for (UpstreamState upstream : upstreams) {
            Probe probe = new Probe(upstream, group.next());
            probes.add(probe);
            probe.task = probe.loop.scheduleAtFixedRate(probe::check, 0, interval, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the checks; a check in flight is closed. Idempotent. */
    synchronized void close() {
        closed = true;
        for (Probe probe : probes) {
            probe.task.cancel(false);
            if (!probe.loop.isShuttingDown()) {
                probe.loop.execute(probe::abandon);
            }
        }
    }

    /** The checks of one upstream, run on its one event loop. */
    private final class Probe {

        private final UpstreamState upstream;
        private final EventLoop loop;
        private ScheduledFuture<?> task;
        private Channel inFlight;
        private int passes;
        private int failures;

        Probe(UpstreamState upstream, EventLoop loop) {
            this.upstream = upstream;
            this.loop = loop;
        }

        void check() {
            if (closed || inFlight != null) {
                return; // a check slower than the interval: let it finish rather than pile up
            }
            ChannelFuture connect = template.clone(loop).connect(upstream.upstream().address());
            inFlight = connect.channel();
            connect.addListener((ChannelFuture done) -> {
                inFlight = null;
                if (done.isSuccess()) {
                    // RST rather than FIN, as HAProxy's checks do: the proxy closes first, and a FIN
                    // would leave a TIME_WAIT socket behind for every check.
                    Channel channel = done.channel();
                    channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    channel.close();
                    passed();
                } else if (!closed) {
                    failed(done.cause());
                }
            });
        }

        private void passed() {
            failures = 0;
            passes = Math.min(passes + 1, config.rise()); // capped: only "rise reached" matters
            if (!upstream.checksPassing() && passes >= config.rise()) {
                upstream.checksPassing(true);
                log.info("route {}: upstream {} is healthy again after {} passed health checks",
                        route, upstream, passes);
            }
        }

        private void failed(Throwable cause) {
            passes = 0;
            failures = Math.min(failures + 1, config.fall());
            if (upstream.checksPassing() && failures >= config.fall()) {
                upstream.checksPassing(false);
                log.warn("route {}: upstream {} is unhealthy after {} failed health checks: {}",
                        route, upstream, failures, cause.toString());
            }
        }

        void abandon() {
            if (inFlight != null) {
                inFlight.close();
            }
        }
    }
}
