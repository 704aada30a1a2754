package dev.linger.app;

import dev.linger.app.admin.Reload;
import dev.linger.proxy.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code proxy.config.reloads{result}}: both series exist at zero from start-up. */
final class ReloadCounter {

    private final Counter success;
    private final Counter failure;

    ReloadCounter(MeterRegistry registry) {
        success = counter(registry, "success");
        failure = counter(registry, "failure");
    }

    private static Counter counter(MeterRegistry registry, String result) {
        return Counter.builder(MetricNames.CONFIG_RELOADS).description("Configuration reload attempts")
                .tag(MetricNames.TAG_RESULT, result).register(registry);
    }

    void count(Reload reload) {
        (reload.success() ? success : failure).increment();
    }
}
