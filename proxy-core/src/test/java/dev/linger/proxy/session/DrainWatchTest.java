package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.transport.DrainProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The linger deadline and the drain polls, on an embedded channel's loop with its clock frozen. */
class DrainWatchTest {

    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final EmbeddedDuplexChannel channel = new EmbeddedDuplexChannel();
    private final AtomicReference<DrainProbe.Drain> kernel = new AtomicReference<>(DrainProbe.Drain.PENDING);
    private final SessionSocket socket = new ChannelSocket(channel, ignored -> kernel.get());
    private final TeardownMachine teardown = new TeardownMachine(
            new TeardownConfig(Policy.GRACEFUL, Duration.ofNanos(LINGER_NANOS), Map.of()));
    private final List<String> reported = new ArrayList<>();
    private DrainWatch drains;

    @BeforeEach
    void halfCloseTheUpstream() {
        channel.freezeTime();
        drains = new DrainWatch(channel.eventLoop(), LINGER_NANOS, teardown, side -> socket,
                (event, side) -> reported.add(event + " " + side));
        teardown.on(Event.CONNECTED, Side.UPSTREAM);
        teardown.on(Event.FIN, Side.CLIENT); // our FIN goes toward the upstream
        teardown.on(Event.FIN_SENT, Side.UPSTREAM);
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private void advanceMicros(long micros) {
        channel.advanceTimeBy(micros, TimeUnit.MICROSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aSocketTheKernelCallsDrainedIsReportedAtOnce() {
        kernel.set(DrainProbe.Drain.DRAINED);

        drains.probe(Side.UPSTREAM);

        assertThat(reported).containsExactly("DRAINED UPSTREAM");
    }

    @Test
    void whileTheKernelSaysNotYetItIsAskedAgainAfterADelayThatDoubles() {
        drains.probe(Side.UPSTREAM);
        advanceMicros(499);
        assertThat(reported).isEmpty();
        advanceMicros(1); // 500 µs: asked again, still pending
        assertThat(reported).isEmpty();
        kernel.set(DrainProbe.Drain.DRAINED);
        advanceMicros(999);
        assertThat(reported).as("the second poll waits 1 ms").isEmpty();
        advanceMicros(1);
        assertThat(reported).containsExactly("DRAINED UPSTREAM");
    }

    @Test
    void withoutTheKernelsWordThePeersFinTells() {
        kernel.set(DrainProbe.Drain.UNKNOWN);
        drains.probe(Side.UPSTREAM);
        assertThat(reported).isEmpty();

        teardown.on(Event.FIN, Side.UPSTREAM);
        drains.probe(Side.UPSTREAM);

        assertThat(reported).containsExactly("DRAINED UPSTREAM");
    }

    @Test
    void theDeadlineAsksOnceMoreThenReportsItself() {
        drains.arm(Side.UPSTREAM);
        channel.advanceTimeBy(LINGER_NANOS - 1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(reported).isEmpty();
        kernel.set(DrainProbe.Drain.DRAINED); // acknowledged after the last poll

        channel.advanceTimeBy(1, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(reported).containsExactly("DRAINED UPSTREAM", "LINGER_DEADLINE UPSTREAM");
    }

    @Test
    void aStoppedDeadlineNeverFires() {
        drains.arm(Side.UPSTREAM);
        drains.stop(Side.UPSTREAM);

        channel.advanceTimeBy(2 * LINGER_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();

        assertThat(reported).isEmpty();
    }
}
