package dev.linger.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The guard itself: a buffer dropped without release must show up as a leak report. */
class LeakGuardTest {

    @Test
    void anUnreleasedBufferIsReported() {
        leakOneBuffer();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            LeakGuardTestAccess.provoke();
            return LeakGuardTestAccess.peek() > 0;
        });
        assertThat(LeakLog.drain()).anySatisfy(report -> assertThat(report).contains("LEAK"));
    }

    private static void leakOneBuffer() {
        ByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
    }
}
