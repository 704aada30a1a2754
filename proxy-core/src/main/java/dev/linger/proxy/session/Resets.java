package dev.linger.proxy.session;

import io.netty.channel.unix.Errors;
import java.io.IOException;

/**
 * Tells a peer's reset (RST) from other I/O failures. Transports report it differently: epoll and
 * io_uring raise a {@link Errors.NativeIoException} carrying ECONNRESET (or EPIPE on a write after the
 * reset), NIO a plain {@link IOException} whose message alone says so ({@code ResetsTest}).
 */
final class Resets {

    private Resets() {
    }

    static boolean isReset(Throwable cause) {
        if (cause instanceof Errors.NativeIoException nativeCause) {
            int errno = nativeCause.expectedErr();
            return errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        if (cause instanceof IOException) {
            String message = cause.getMessage();
            return message != null
                    && (message.contains("Connection reset") || message.contains("Broken pipe"));
        }
        return false;
    }
}
