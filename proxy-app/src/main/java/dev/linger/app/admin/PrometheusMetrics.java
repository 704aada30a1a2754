package dev.linger.app.admin;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;

/**
 * The process's meter registry in Prometheus form: the proxy's own meters (registered by proxy-core
 * into {@link #registry()}), Micrometer's JVM binders, Netty's allocator, and the event loops bound
 * with {@link #bindEventLoops}. {@link #scrape()} is what {@code GET /metrics} answers.
 */
public final class PrometheusMetrics implements AutoCloseable {

    /** The content type of {@link #scrape()}: Prometheus text format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private PrometheusMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    /** A registry with the JVM and Netty allocator binders in place; close it when the process stops. */
    public static PrometheusMetrics create() {
        return new PrometheusMetrics();
    }

    /** Where the proxy registers its meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Publishes the pending-task gauges of {@code loops}, tagged {@code group=<group>} so the relay's
     * loops and the admin loop stay apart. Call it from outside those loops: naming a loop that has not
     * run yet waits for it to start.
     */
    public void bindEventLoops(Iterable<EventExecutor> loops, String group) {
        new NettyEventExecutorMetrics(loops, Tags.of("group", group)).bindTo(registry);
    }

    /** Every meter in Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
