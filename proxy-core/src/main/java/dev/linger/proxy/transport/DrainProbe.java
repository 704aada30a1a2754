package dev.linger.proxy.transport;

import io.netty.channel.Channel;

/**
 * Whether a half-closed socket has drained: everything written to it, and our FIN, acknowledged by the peer.
 * The epoll socket layer reads the kernel's TCP state ({@link #ofTcpState}); Netty's channels (NIO, io_uring)
 * do not expose it, so a channel's probe answers {@link Drain#UNKNOWN} and the session falls back to Netty's
 * buffer plus the peer's FIN. Tests give channels other probes, to play the kernel's part.
 */
public interface DrainProbe {

    /** What the kernel says of a socket the proxy has half-closed. */
    enum Drain {
        DRAINED,
        PENDING,
        UNKNOWN
    }

    Drain drain(Channel channel);

    /** For transports without {@code tcp_info}. */
    DrainProbe UNKNOWN = channel -> Drain.UNKNOWN;

    /**
     * What the kernel's TCP state ({@code tcpi_state}, Linux tcp_states.h) of a socket that has sent our FIN
     * says: our FIN is acknowledged once the socket has moved past ESTABLISHED (1), FIN_WAIT1 (4),
     * CLOSE_WAIT (8), LAST_ACK (9) and CLOSING (11).
     */
    static Drain ofTcpState(int state) {
        boolean finUnacked = state == 1 || state == 4 || state == 8 || state == 9 || state == 11;
        return finUnacked ? Drain.PENDING : Drain.DRAINED;
    }
}
