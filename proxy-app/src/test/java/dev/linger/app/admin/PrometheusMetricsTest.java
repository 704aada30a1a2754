package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.RouteMeters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest {

    @Test
    void jvmProcessAndNettyAllocatorMetricsAreExported() {
        try (PrometheusMetrics metrics = PrometheusMetrics.create()) {
            Exposition exposition = Exposition.parse(metrics.scrape());

            assertThat(exposition.names()).contains("jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total",
                    "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_uptime_seconds",
                    "system_cpu_count", "netty_allocator_memory_used");
        }
    }

    @Test
    void routeMetersGetTheContractsPrometheusNames() {
        try (PrometheusMetrics metrics = PrometheusMetrics.create()) {
            RouteMeters meters = new RouteMeters("web", List.of("127.0.0.1:9"), metrics.registry(), () -> 0);
            meters.discarded(Direction.DOWNSTREAM, 42);
            meters.relayed(Direction.UPSTREAM, 7);

            Exposition exposition = Exposition.parse(metrics.scrape());

            assertThat(exposition.value("proxy_bytes_discarded_total",
                    Map.of("route", "web", "direction", "downstream"))).isEqualTo(42);
            assertThat(exposition.value("proxy_bytes_total", Map.of("route", "web", "direction", "upstream")))
                    .isEqualTo(7);
            assertThat(exposition.names()).noneMatch(name -> name.contains("discarded_bytes"));
        }
    }
}
