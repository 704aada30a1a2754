package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import dev.linger.proxy.config.Trigger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay alone, between two embedded channels, with a teardown machine it only reads. */
class RelayTest {

    private final EmbeddedDuplexChannel clientChannel = new EmbeddedDuplexChannel();
    private final EmbeddedDuplexChannel upstreamChannel = new EmbeddedDuplexChannel();
    private final SessionSocket client = new ChannelSocket(clientChannel, DrainProbe.UNKNOWN);
    private final SessionSocket upstream = new ChannelSocket(upstreamChannel, DrainProbe.UNKNOWN);
    private final TeardownMachine teardown = new TeardownMachine(
            new TeardownConfig(Policy.GRACEFUL, Duration.ofSeconds(5), Map.of()));
    private final SessionRecord record = new SessionRecord(
            new RouteMeters("db", List.of(), new SimpleMeterRegistry(), () -> 0), "db", false);
    private final Relay relay = new Relay(clientChannel.eventLoop(), client, teardown, record);

    RelayTest() {
        upstreamChannel.config().setMessageSizeEstimator(Transport.QUEUED_MEMORY);
    }

    @AfterEach
    void release() {
        clientChannel.finishAndReleaseAll();
        upstreamChannel.finishAndReleaseAll();
    }

    private static ByteBuf text(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private static String received(EmbeddedDuplexChannel channel) {
        StringBuilder all = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            all.append(message instanceof ByteBuf bytes ? bytes.toString(StandardCharsets.US_ASCII) : "<" + message + ">");
            ReferenceCountUtil.release(message);
        }
        return all.toString();
    }

    private void connect(Object first) {
        teardown.on(Event.CONNECTED, Side.UPSTREAM);
        relay.connected(upstream, first);
    }

    @Test
    void whatTheClientSendsBeforeTheUpstreamIsThereGoesOutAfterTheHeaderOnConnect() {
        relay.read(Side.CLIENT, text("early "));
        relay.read(Side.CLIENT, text("bytes"));
        assertThat(record.relayed(Direction.UPSTREAM)).as("held, not relayed yet").isZero();

        connect("PROXY-HEADER");

        assertThat(received(upstreamChannel)).as("flushed at connect").isEqualTo("<PROXY-HEADER>early bytes");
        assertThat(record.relayed(Direction.UPSTREAM)).isEqualTo(11);
        assertThat(clientChannel.config().isAutoRead()).isTrue();
    }

    @Test
    void aReadWaitsForItsBatchsEndThenIsFlushedAndCounted() {
        connect(null);

        relay.read(Side.UPSTREAM, text("reply"));
        assertThat(received(clientChannel)).isEmpty();
        relay.batchComplete(Side.UPSTREAM);

        assertThat(received(clientChannel)).isEqualTo("reply");
        assertThat(record.relayed(Direction.DOWNSTREAM)).isEqualTo(5);
    }

    @Test
    void whenTheOtherSideCannotTakeMoreThisSideStopsBeingReadUntilItCan() {
        connect(null);
        // The upstream's socket takes nothing: what is written stays queued above the high watermark.
        upstreamChannel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(4, 8));
        upstreamChannel.peerReads(false);

        relay.read(Side.CLIENT, text("more than eight bytes"));

        assertThat(clientChannel.config().isAutoRead()).isFalse();
        relay.writabilityChanged(Side.UPSTREAM);
        assertThat(clientChannel.config().isAutoRead()).as("still not writable").isFalse();
        upstreamChannel.peerReads(true);
        upstreamChannel.flush();
        relay.writabilityChanged(Side.UPSTREAM);
        assertThat(clientChannel.config().isAutoRead()).isTrue();
    }

    @Test
    void aSideWhosePeerSentItsFinIsNotReadAgain() {
        connect(null);
        clientChannel.config().setAutoRead(false);
        teardown.on(Event.FIN, Side.CLIENT);

        relay.writabilityChanged(Side.UPSTREAM);

        assertThat(clientChannel.config().isAutoRead()).isFalse();
    }

    @Test
    void onceTheTeardownDiscardsReadsAndHeldBytesAreDroppedAndCounted() {
        relay.read(Side.CLIENT, text("held"));
        teardown.end(Trigger.SHUTDOWN);
        relay.dropHeld();
        ByteBuf late = text("late");

        relay.read(Side.CLIENT, late);

        assertThat(late.refCnt()).isZero();
        assertThat(record.discarded(Direction.UPSTREAM)).isEqualTo(8);
        assertThat(record.relayed(Direction.UPSTREAM)).isZero();
    }

    @Test
    void anAbortSendsWhatWasReadBeforeItThenResetsBoth() {
        connect(null);
        relay.read(Side.UPSTREAM, text("before"));

        relay.abort();

        assertThat(received(clientChannel)).isEqualTo("before");
        assertThat(clientChannel.isOpen()).isFalse();
        assertThat(upstreamChannel.isOpen()).isFalse();
        assertThat(record.discarded(Direction.DOWNSTREAM)).as("the socket took it all").isZero();
    }

    @Test
    void whatASocketDidNotTakeBeforeItsResetIsCountedByTheBytesNotTheBuffers() {
        connect(null);
        relay.read(Side.CLIENT, text("taken"));
        relay.batchComplete(Side.CLIENT); // flushed, and the socket took it: not dropped
        upstreamChannel.peerReads(false);
        // A small read in a large buffer, as a socket's read guess makes them after a burst.
        relay.read(Side.CLIENT, Unpooled.buffer(64 * 1024).writeBytes("stuck".getBytes(StandardCharsets.US_ASCII)));

        upstreamChannel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // The reset fails what was still queued, as the relay handler hears it: nothing to do here.
            }
        });
        relay.drop(Side.UPSTREAM); // before its batch's end: flushed first, and the socket takes none of it

        assertThat(record.discarded(Direction.UPSTREAM)).isEqualTo(5);
        assertThat(record.relayed(Direction.UPSTREAM)).isEqualTo(10);
        assertThat(upstreamChannel.isOpen()).isFalse();
    }
}
