package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.MetricNames;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.testing.Meters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRecordTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RouteMeters meters = new RouteMeters("db", List.of("127.0.0.1:5432"), registry, () -> 0);

    private double draining() {
        return registry.get(MetricNames.CONNECTIONS_DRAINING).gauge().value();
    }

    @Test
    void countsTheSessionOnceOnItsTriggerAndPathWithItsBytes() {
        SessionRecord record = new SessionRecord(meters, "db", false);
        record.relayed(Direction.UPSTREAM, 10);
        record.relayed(Direction.UPSTREAM, 5);
        record.discarded(Direction.DOWNSTREAM, 7);
        record.teardownBegan();

        record.ended(Trigger.IDLE_TIMEOUT, TeardownPath.GRACEFUL, new InetSocketAddress("127.0.0.1", 1), null);

        assertThat(record.relayed(Direction.UPSTREAM)).isEqualTo(15);
        assertThat(record.discarded(Direction.DOWNSTREAM)).isEqualTo(7);
        assertThat(Meters.bytes(registry, "db", Direction.UPSTREAM)).isEqualTo(15);
        assertThat(Meters.closed(registry, "db", Trigger.IDLE_TIMEOUT, TeardownPath.GRACEFUL)).isEqualTo(1);
        assertThat(registry.get(MetricNames.CONNECTIONS_ACCEPTED).counter().count()).isEqualTo(1);
    }

    @Test
    void aSessionInGracefulTeardownIsCountedAsDrainingUntilItEnds() {
        SessionRecord record = new SessionRecord(meters, "db", false);
        record.drainingStarted();
        assertThat(draining()).isEqualTo(1);

        record.ended(Trigger.CLIENT_FIN, TeardownPath.GRACEFUL, null, null);

        assertThat(draining()).isZero();
    }

    @Test
    void anAbortedSessionNeverCountedAsDrainingLeavesTheGaugeAlone() {
        new SessionRecord(meters, "db", false).ended(Trigger.CLIENT_RST, TeardownPath.ABORT, null, null);

        assertThat(draining()).isZero();
        assertThat(Meters.closed(registry, "db", Trigger.CLIENT_RST, TeardownPath.ABORT)).isEqualTo(1);
    }
}
