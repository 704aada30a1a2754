package dev.linger.proxy.metrics;

import static dev.linger.proxy.metrics.MetricNames.TAG_DIRECTION;
import static dev.linger.proxy.metrics.MetricNames.TAG_PATH;
import static dev.linger.proxy.metrics.MetricNames.TAG_ROUTE;
import static dev.linger.proxy.metrics.MetricNames.TAG_TRIGGER;
import static dev.linger.proxy.metrics.MetricNames.TAG_UPSTREAM;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * One route's meters, registered once when the route starts: every trigger x path series of
 * {@code proxy.connections.closed} exists at zero from the first scrape, and sessions update fields
 * rather than looking meters up.
 */
public final class RouteMeters {

    /** Bucket bounds for duration histograms, 1 ms to 60 s, so dashboards can use histogram_quantile. */
    private static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(60),
    };

    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final AtomicInteger draining = new AtomicInteger();
    private final Counter accepted;
    private final Counter[][] closed;
    private final Counter[] bytes;
    private final Counter[] discarded;
    private final Timer[] sessionDuration;
    private final Timer[] teardownDuration;
    private final String route;
    private final Map<String, Counter> connectFailures = new ConcurrentHashMap<>();
    private final Map<String, Meter> healthGauges = new HashMap<>();

    /**
     * @param route     the route's name, the {@code route} tag
     * @param upstreams the route's upstreams as written in the configuration, the {@code upstream} tag
     * @param active    how many sessions of the route are open now
     */
    public RouteMeters(String route, List<String> upstreams, MeterRegistry registry, IntSupplier active) {
        this.registry = registry;
        this.route = route;
        accepted = keep(Counter.builder(MetricNames.CONNECTIONS_ACCEPTED)
                .description("Client connections accepted").tag(TAG_ROUTE, route).register(registry));
        keep(Gauge.builder(MetricNames.CONNECTIONS_ACTIVE, active::getAsInt)
                .description("Sessions open now").tag(TAG_ROUTE, route).register(registry));
        keep(Gauge.builder(MetricNames.CONNECTIONS_DRAINING, draining::get)
                .description("Sessions in graceful teardown now").tag(TAG_ROUTE, route).register(registry));
        closed = new Counter[Trigger.values().length][TeardownPath.values().length];
        for (Trigger trigger : Trigger.values()) {
            for (TeardownPath path : TeardownPath.values()) {
                closed[trigger.ordinal()][path.ordinal()] = keep(Counter.builder(MetricNames.CONNECTIONS_CLOSED)
                        .description("Sessions ended, by the trigger that began their teardown and the path it ended on")
                        .tags(TAG_ROUTE, route, TAG_TRIGGER, trigger.key(), TAG_PATH, path.key())
                        .register(registry));
            }
        }
        bytes = new Counter[Direction.values().length];
        discarded = new Counter[Direction.values().length];
        for (Direction direction : Direction.values()) {
            bytes[direction.ordinal()] = keep(Counter.builder(MetricNames.BYTES).baseUnit("bytes")
                    .description("Bytes relayed").tags(TAG_ROUTE, route, TAG_DIRECTION, direction.key())
                    .register(registry));
            // No base unit: Prometheus would append it (proxy_bytes_discarded_bytes_total); the name says it.
            discarded[direction.ordinal()] = keep(Counter.builder(MetricNames.BYTES_DISCARDED)
                    .description("Bytes the proxy held for a peer and dropped at an abort, a linger-timeout or while discarding")
                    .tags(TAG_ROUTE, route, TAG_DIRECTION, direction.key()).register(registry));
        }
        sessionDuration = new Timer[TeardownPath.values().length];
        teardownDuration = new Timer[TeardownPath.values().length];
        for (TeardownPath path : TeardownPath.values()) {
            sessionDuration[path.ordinal()] = keep(timer(MetricNames.SESSION_DURATION, "Accept to fully closed")
                    .tags(TAG_ROUTE, route, TAG_PATH, path.key()).register(registry));
            teardownDuration[path.ordinal()] = keep(timer(MetricNames.TEARDOWN_DURATION, "First trigger to fully closed")
                    .tags(TAG_ROUTE, route, TAG_PATH, path.key()).register(registry));
        }
        addUpstreams(upstreams);
    }

    /** Registers the per-upstream meters of upstreams a reload added; known ones are left as they are. */
    public synchronized void addUpstreams(List<String> upstreams) {
        for (String upstream : upstreams) {
            connectFailures.computeIfAbsent(upstream, name -> keep(Counter.builder(MetricNames.UPSTREAM_CONNECT_FAILURES)
                    .description("Upstream connect attempts that failed")
                    .tags(TAG_ROUTE, route, TAG_UPSTREAM, name).register(registry)));
        }
    }

    /**
     * Registers {@code proxy.upstream.healthy} for {@code upstream} (as written in the configuration):
     * 1 while {@code selectable} says new sessions may be sent there, else 0.
     */
    public synchronized void upstreamHealthy(String upstream, BooleanSupplier selectable) {
        // A reload's new route version brings new health state: the gauge must read it, not the old one's
        // (Micrometer would hand back the registered gauge for the same name and tags).
        Meter previous = healthGauges.remove(upstream);
        if (previous != null) {
            registry.remove(previous);
            meters.remove(previous);
        }
        healthGauges.put(upstream, keep(Gauge.builder(MetricNames.UPSTREAM_HEALTHY, () -> selectable.getAsBoolean() ? 1 : 0)
                .description("1 while new sessions may be sent to the upstream (passing its health checks and"
                        + " not ejected after connect failures), else 0")
                .tags(TAG_ROUTE, route, TAG_UPSTREAM, upstream).register(registry)));
    }

    private static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(DURATION_BUCKETS)
                .minimumExpectedValue(DURATION_BUCKETS[0])
                .maximumExpectedValue(DURATION_BUCKETS[DURATION_BUCKETS.length - 1]);
    }

    private <M extends Meter> M keep(M meter) {
        meters.add(meter);
        return meter;
    }

    public void accepted() {
        accepted.increment();
    }

    /** A session began its graceful teardown. */
    public void drainingStarted() {
        draining.incrementAndGet();
    }

    /** A session that was in graceful teardown has ended. */
    public void drainingEnded() {
        draining.decrementAndGet();
    }

    public void relayed(Direction direction, long count) {
        bytes[direction.ordinal()].increment(count);
    }

    public void discarded(Direction direction, long count) {
        if (count > 0) {
            discarded[direction.ordinal()].increment(count);
        }
    }

    public void connectFailed(String upstream) {
        Counter counter = connectFailures.get(upstream);
        if (counter != null) {
            counter.increment();
        }
    }

    /** A session ended: count it once, on its trigger and path, with its durations. */
    public void closed(Trigger trigger, TeardownPath path, long sessionNanos, long teardownNanos) {
        closed[trigger.ordinal()][path.ordinal()].increment();
        sessionDuration[path.ordinal()].record(sessionNanos, TimeUnit.NANOSECONDS);
        teardownDuration[path.ordinal()].record(teardownNanos, TimeUnit.NANOSECONDS);
    }

    /** Removes every meter of the route from the registry (the route was removed). */
    public void remove() {
        meters.forEach(registry::remove);
    }
}
