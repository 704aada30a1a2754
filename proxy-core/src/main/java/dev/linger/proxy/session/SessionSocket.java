package dev.linger.proxy.session;

import dev.linger.proxy.transport.DrainProbe;
import java.net.SocketAddress;
import java.util.function.Consumer;

/**
 * One of a session's sockets, as the session uses it: the few operations the relay and the teardown need
 * (read on or off, write, flush, half-close, reset, close, drained?). Everything the session does to a
 * socket goes through here. Two socket layers implement it: {@link ChannelSocket} (a Netty channel) and
 * {@link EpollSocket} (a socket on the epoll event loop, without a channel). What a socket sees (bytes, a
 * FIN, a failure, its close) it reports to its session, as {@link Side} of it.
 */
interface SessionSocket {

    /** Whether {@code connection}, as a report of the socket layer names it, is this socket. */
    boolean isConnection(Object connection);

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The socket's own address (a system call: only where a PROXY header names it). */
    SocketAddress localAddress();

    /** A PROXY header decoder the client socket runs, if any, goes: the header was malformed. */
    void dropProxyHeaderDecoder();

    /** Reads the socket, or stops reading it (backpressure: the kernel's buffer and TCP's window fill). */
    void read(boolean on);

    /** Queues {@code message} (bytes, or a PROXY header, which the socket encodes), not flushed. */
    void write(Object message);

    /** Hands what is queued to the kernel, as much as it takes; the rest goes when the socket has room. */
    void flush();

    /** Whether what is queued is below the write high watermark (after it went above it: the low one). */
    boolean writable();

    /** Bytes flushed and not yet handed to the kernel: what the buffers hold, not their capacity. */
    long queuedBytes();

    /**
     * Sends our FIN once everything queued is flushed, then runs {@code finSent}; a failed flush goes to
     * {@code failed} instead. With {@code withLastBytes}, bytes written just before leave in the FIN's segment
     * ({@code TCP_CORK} until the FIN).
     */
    void halfClose(boolean withLastBytes, Runnable finSent, Consumer<Throwable> failed);

    /**
     * Whether the half-closed socket drained: where the kernel's TCP state can be read, whether our FIN was
     * acknowledged ({@code PENDING}: not yet, ask again); elsewhere the peer's own FIN is what tells
     * ({@code UNKNOWN} until {@code peerFinReceived}).
     */
    DrainProbe.Drain drain(boolean peerFinReceived);

    /**
     * The socket drained and waits only for the peer's FIN: its layer may close it at that FIN instead of
     * reporting it, and that close then is the FIN ({@link #closesAtPeerFin}).
     */
    void closeAtPeerFin();

    /** Whether the socket closes at the peer's FIN: its close is that FIN. */
    boolean closesAtPeerFin();

    /** A read batch is complete on a socket whose peer sent its FIN: writes a transport stalled resume. */
    void resumeStalledWrites();

    /** Closes with {@code SO_LINGER=0}: the peer gets an RST; what is queued is dropped. */
    void reset();

    /** Closes; the session hears of it as the socket's close. */
    void close();
}
