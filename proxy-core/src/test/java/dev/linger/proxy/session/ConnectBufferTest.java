package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.transport.DrainProbe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConnectBufferTest {

    private final ConnectBuffer held = new ConnectBuffer();

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void asksToStopReadingOnceTheReadsReachTheLimit() {
        assertThat(held.hold(Unpooled.wrappedBuffer(new byte[ConnectBuffer.LIMIT - 1]))).isFalse();
        assertThat(held.hold(bytes("x"))).as("the read that reaches the limit is kept, then reading stops").isTrue();
        assertThat(held.discard()).isEqualTo(ConnectBuffer.LIMIT);
    }

    @Test
    void writesWhatItHoldsInOrderUnflushedAndAnswersTheCount() {
        EmbeddedDuplexChannel upstream = new EmbeddedDuplexChannel();
        held.hold(bytes("first "));
        held.hold(bytes("second"));

        assertThat(held.writeTo(new ChannelSocket(upstream, DrainProbe.UNKNOWN))).isEqualTo(12);
        assertThat(upstream.<ByteBuf>readOutbound()).as("not flushed").isNull();
        upstream.flush();
        ByteBuf first = upstream.readOutbound();
        ByteBuf second = upstream.readOutbound();
        assertThat(first.toString(StandardCharsets.US_ASCII) + second.toString(StandardCharsets.US_ASCII))
                .isEqualTo("first second");
        first.release();
        second.release();
        assertThat(held.writeTo(new ChannelSocket(upstream, DrainProbe.UNKNOWN))).as("nothing held twice").isZero();
        upstream.finishAndReleaseAll();
    }

    @Test
    void discardReleasesWhatItHeld() {
        ByteBuf read = bytes("dropped");
        held.hold(read);

        assertThat(held.discard()).isEqualTo(7);
        assertThat(read.refCnt()).isZero();
        assertThat(held.discard()).isZero();
    }
}
