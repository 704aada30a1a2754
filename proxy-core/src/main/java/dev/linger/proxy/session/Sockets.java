package dev.linger.proxy.session;

import dev.linger.proxy.transport.IoUringHalfClosure;
import dev.linger.proxy.transport.NativeFin;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two ways the proxy closes a socket itself, a reset and a half-close, and what a half-closed socket needs
 * of a transport's workarounds.
 */
final class Sockets {

    private static final Logger log = LoggerFactory.getLogger(Sockets.class);

    private Sockets() {
    }

    /**
     * Closes with {@code SO_LINGER=0}: the peer gets an RST and nothing is left in TIME_WAIT. Never a
     * non-zero linger: on Linux {@code close()} then blocks for up to the linger interval, even on a
     * non-blocking socket, and Netty runs such closes on a single shared thread (epoll) or on the event loop
     * itself (io_uring).
     */
    static void reset(Channel channel) {
        if (channel == null) {
            return;
        }
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // No socket to set it on (a connect still in progress): close() is all there is to do.
                log.trace("SO_LINGER=0 not set", e);
            }
        }
        channel.close();
    }

    /**
     * Holds back what is flushed next ({@code TCP_CORK}) until the FIN that follows it: the kernel then puts
     * the FIN on the last segment of those bytes instead of sending it in a segment of its own, and the peer
     * acknowledges both at once (at one connection per request on loopback, 18.5 segments per proxied
     * connection instead of 20.0). Full segments still go out at once; the FIN releases the rest. No-op on NIO.
     */
    static void corkBeforeFin(Channel channel) {
        try {
            if (channel instanceof IoUringSocketChannel) {
                channel.config().setOption(IoUringChannelOption.TCP_CORK, true);
            }
        } catch (RuntimeException e) {
            // The socket failed meanwhile: the flush that follows reports it; uncorked, the bytes just go now.
            log.trace("TCP_CORK not set", e);
        }
    }

    /** Sends our FIN; the caller has flushed everything queued before it. */
    static ChannelFuture shutdownOutput(Channel channel) {
        if (NativeFin.applies(channel)) {
            return NativeFin.send(channel);
        }
        if (channel instanceof DuplexChannel duplex) {
            return duplex.shutdownOutput();
        }
        return channel.newFailedFuture(new UnsupportedOperationException(
                channel.getClass().getSimpleName() + " (expected: a DuplexChannel that can half-close)"));
    }

    /**
     * Has the transport close {@code channel} when the peer's FIN arrives, instead of shutting its input and
     * reporting the FIN as an event: the session hears of that FIN as the channel closing. For a socket that
     * has sent our FIN, drained, and waits for nothing else. Both FINs through, the socket has left the
     * connection (TIME_WAIT), so the {@code shutdown(SHUT_RD)} Netty makes at a half-closure fails with
     * ENOTCONN, and Netty builds a {@code NotYetConnectedException}, stack trace and all, to ignore it: about
     * 2.5% of the event loop's samples at one connection per request. Returns whether the channel took the option.
     */
    static boolean closeAtPeerFin(Channel channel) {
        return channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
    }

    /**
     * A read batch of {@code channel} is complete: if the peer's FIN is in and a transport defect has stalled
     * the writes toward it, they resume shortly.
     */
    static void resumeStalledWrites(Channel channel) {
        IoUringHalfClosure.resumeStalledWrites(channel);
    }
}
