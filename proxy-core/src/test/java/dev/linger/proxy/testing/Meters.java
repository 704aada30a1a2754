package dev.linger.proxy.testing;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.MetricNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.Map;
import java.util.TreeMap;

/** Reads the proxy's meters in tests. */
public final class Meters {

    private Meters() {
    }

    /** {@code proxy.connections.closed} for one route, trigger and path. */
    public static long closed(MeterRegistry registry, String route, Trigger trigger, TeardownPath path) {
        return (long) registry.get(MetricNames.CONNECTIONS_CLOSED)
                .tags(MetricNames.TAG_ROUTE, route, MetricNames.TAG_TRIGGER, trigger.key(), MetricNames.TAG_PATH, path.key())
                .counter().count();
    }

    /** Every non-zero {@code proxy.connections.closed} series of a route, as "trigger/path" -> count. */
    public static Map<String, Long> closedSeries(MeterRegistry registry, String route) {
        Map<String, Long> series = new TreeMap<>();
        Search.in(registry).name(MetricNames.CONNECTIONS_CLOSED).tag(MetricNames.TAG_ROUTE, route).counters()
                .forEach(counter -> {
                    if (counter.count() > 0) {
                        series.put(counter.getId().getTag(MetricNames.TAG_TRIGGER) + "/"
                                + counter.getId().getTag(MetricNames.TAG_PATH), (long) counter.count());
                    }
                });
        return series;
    }

    public static long bytes(MeterRegistry registry, String route, Direction direction) {
        return (long) registry.get(MetricNames.BYTES)
                .tags(MetricNames.TAG_ROUTE, route, MetricNames.TAG_DIRECTION, direction.key()).counter().count();
    }

    public static long discarded(MeterRegistry registry, String route, Direction direction) {
        return (long) registry.get(MetricNames.BYTES_DISCARDED)
                .tags(MetricNames.TAG_ROUTE, route, MetricNames.TAG_DIRECTION, direction.key()).counter().count();
    }

    public static double gauge(MeterRegistry registry, String name, String route) {
        return registry.get(name).tag(MetricNames.TAG_ROUTE, route).gauge().value();
    }
}
