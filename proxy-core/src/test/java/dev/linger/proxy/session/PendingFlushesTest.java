package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** When a session's written bytes are flushed: at the end of the event loop's iteration, once. */
@Timeout(10)
class PendingFlushesTest {

    private static EventLoopGroup group;
    private static EventLoop loop;

    /** Flushes in the order they happened; "end" marks the end of the task that ran on the loop. */
    private final List<String> events = new ArrayList<>();

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Runs {@code task} in one iteration of the loop and waits for the iteration's end. */
    private void inOneIteration(Runnable task) {
        CompletableFuture<Void> iterationEnded = new CompletableFuture<>();
        loop.execute(() -> {
            task.run();
            events.add("end");
            // Queued after whatever the task left for the iteration's end, so it runs after it.
            ((SingleThreadIoEventLoop) loop).executeAfterEventLoopIteration(() -> iterationEnded.complete(null));
        });
        iterationEnded.join();
    }

    private PendingFlushes flushes(EventLoop eventLoop) {
        return new PendingFlushes(eventLoop) {
            @Override
            void flushToward(Side side) {
                events.add("flush " + side);
            }
        };
    }

    @Test
    void aBatchIsFlushedAtTheEndOfTheIterationAndOnceForAllItsBatches() {
        PendingFlushes flushes = flushes(loop);
        inOneIteration(() -> {
            flushes.written(Side.CLIENT);
            flushes.batchComplete(Side.CLIENT);
            flushes.written(Side.CLIENT);
            flushes.batchComplete(Side.CLIENT);
            flushes.written(Side.UPSTREAM);
            flushes.batchComplete(Side.UPSTREAM);
        });
        assertThat(events).containsExactly("end", "flush CLIENT", "flush UPSTREAM");
    }

    @Test
    void aBatchThatWroteNothingFlushesNothing() {
        PendingFlushes flushes = flushes(loop);
        inOneIteration(() -> flushes.batchComplete(Side.CLIENT));
        assertThat(events).containsExactly("end");
    }

    @Test
    void bytesTakenBeforeTheEndAreTheTakersToFlush() {
        PendingFlushes flushes = flushes(loop);
        List<Boolean> taken = new ArrayList<>();
        inOneIteration(() -> {
            flushes.written(Side.CLIENT);
            flushes.batchComplete(Side.CLIENT);
            flushes.written(Side.UPSTREAM);
            flushes.batchComplete(Side.UPSTREAM);
            taken.add(flushes.take(Side.CLIENT));
            taken.add(flushes.take(Side.CLIENT));
        });
        assertThat(taken).containsExactly(true, false);
        assertThat(events).containsExactly("end", "flush UPSTREAM");
    }

    @Test
    void flushAllFlushesAtOnceAndLeavesNothingForTheEnd() {
        PendingFlushes flushes = flushes(loop);
        inOneIteration(() -> {
            flushes.written(Side.UPSTREAM);
            flushes.batchComplete(Side.UPSTREAM);
            flushes.flushAll();
        });
        assertThat(events).containsExactly("flush UPSTREAM", "end");
    }

    @Test
    void aLaterIterationSchedulesAgain() {
        PendingFlushes flushes = flushes(loop);
        for (int i = 0; i < 2; i++) {
            inOneIteration(() -> {
                flushes.written(Side.CLIENT);
                flushes.batchComplete(Side.CLIENT);
            });
        }
        assertThat(events).containsExactly("end", "flush CLIENT", "end", "flush CLIENT");
    }

    @Test
    void onALoopThatNoLongerTakesTasksABatchIsFlushedAtOnce() {
        EventLoopGroup stopped = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        EventLoop stoppedLoop = stopped.next();
        stopped.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        PendingFlushes flushes = flushes(stoppedLoop);
        flushes.written(Side.UPSTREAM);
        flushes.batchComplete(Side.UPSTREAM);
        assertThat(events).containsExactly("flush UPSTREAM");
    }

    @Test
    void onALoopWithoutIterationTasksABatchIsFlushedAtOnce() {
        EmbeddedChannel channel = new EmbeddedChannel();
        try {
            PendingFlushes flushes = flushes(channel.eventLoop());
            flushes.written(Side.CLIENT);
            flushes.batchComplete(Side.CLIENT);
            assertThat(events).containsExactly("flush CLIENT");
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
