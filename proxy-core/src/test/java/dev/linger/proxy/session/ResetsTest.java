package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import java.io.IOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ResetsTest {

    @Test
    void nativeEconnresetAndEpipeAreResets() {
        assumeTrue(Epoll.isAvailable(), "the native transport library loads the errno constants");
        assertThat(Resets.isReset(new Errors.NativeIoException("read", Errors.ERRNO_ECONNRESET_NEGATIVE))).isTrue();
        assertThat(Resets.isReset(new Errors.NativeIoException("write", Errors.ERRNO_EPIPE_NEGATIVE))).isTrue();
    }

    @Test
    void nioMessagesAreResets() {
        assertThat(Resets.isReset(new SocketException("Connection reset"))).isTrue();
        assertThat(Resets.isReset(new IOException("Connection reset by peer"))).isTrue();
        assertThat(Resets.isReset(new IOException("Broken pipe"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(Resets.isReset(new IOException("No route to host"))).isFalse();
        assertThat(Resets.isReset(new IllegalStateException("Connection reset"))).isFalse();
        assertThat(Resets.isReset(new IOException((String) null))).isFalse();
    }
}
