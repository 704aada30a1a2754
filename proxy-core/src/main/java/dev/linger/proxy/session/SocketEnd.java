package dev.linger.proxy.session;

import io.netty.util.concurrent.ScheduledFuture;

/**
 * How far one of a session's sockets has got in closing: the peer's FIN received, ours sent, and
 * whether what we sent (data and FIN) has drained to the peer before its linger deadline.
 */
final class SocketEnd {

    /** The peer's FIN has been read. */
    boolean finReceived;
    /** The proxy decided to half-close this socket: a flush, then our FIN, are under way. */
    boolean finSending;
    /** Our FIN has been handed to the kernel. */
    boolean finSent;
    /** Everything we wrote, and our FIN, reached the peer. */
    boolean drained;
    /**
     * Drained, this socket waits only for the peer's FIN, and its transport closes it when the FIN comes
     * ({@link Sockets#closeAtPeerFin}): that close is the FIN.
     */
    boolean closesAtPeerFin;
    /** The socket is gone (reset, never connected, refused): nothing more to do on it. */
    boolean dead;
    /** Resets the session if this socket has not drained in time; armed when the FIN is decided. */
    ScheduledFuture<?> lingerDeadline;

    /** Nothing is left to do on this socket for a graceful end. */
    boolean done() {
        return dead || (finReceived && finSent && drained);
    }

    void cancelDeadline() {
        if (lingerDeadline != null) {
            lingerDeadline.cancel(false);
            lingerDeadline = null;
        }
    }
}
