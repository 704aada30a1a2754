package dev.linger.proxy.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Asks the kernel whether a half-closed socket has drained: everything written to it, and our FIN,
 * acknowledged by the peer. Only epoll exposes {@code tcp_info}; elsewhere the answer is
 * {@link Drain#UNKNOWN} and the session falls back to Netty's buffer plus the peer's FIN.
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

    /** Reads {@code tcp_info} through epoll; about 2 µs a call. */
    DrainProbe EPOLL = new DrainProbe() {
        // Linux tcp_states.h: our FIN is acknowledged once the socket has moved past these.
        private static final int ESTABLISHED = 1;
        private static final int FIN_WAIT1 = 4;
        private static final int CLOSE_WAIT = 8;
        private static final int LAST_ACK = 9;
        private static final int CLOSING = 11;

        private final FastThreadLocal<EpollTcpInfo> info = new FastThreadLocal<>() {
            @Override
            protected EpollTcpInfo initialValue() {
                return new EpollTcpInfo();
            }
        };

        @Override
        public Drain drain(Channel channel) {
            if (!(channel instanceof EpollSocketChannel epoll) || !channel.isOpen()) {
                return Drain.UNKNOWN;
            }
            EpollTcpInfo tcp = info.get();
            try {
                epoll.tcpInfo(tcp);
            } catch (RuntimeException e) {
                return Drain.UNKNOWN; // closed meanwhile
            }
            int state = tcp.state();
            boolean finUnacked = state == ESTABLISHED || state == FIN_WAIT1 || state == CLOSE_WAIT
                    || state == LAST_ACK || state == CLOSING;
            return finUnacked ? Drain.PENDING : Drain.DRAINED;
        }
    };
}
