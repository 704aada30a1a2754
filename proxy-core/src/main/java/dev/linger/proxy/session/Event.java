package dev.linger.proxy.session;

/**
 * What a session's sockets tell its {@link TeardownMachine}; each comes with the side it happened on. The
 * proxy's own reasons to end a session (idle-timeout, shutdown, ...) are not events but triggers
 * ({@link TeardownMachine#end}).
 */
enum Event {
    /** The peer sent its FIN (trigger client-fin / upstream-fin). */
    FIN,
    /** The peer reset the connection (trigger client-rst / upstream-rst). */
    RESET,
    /** Another I/O error on the socket (trigger error). */
    FAILED,
    /** The upstream connect succeeded (side: upstream). */
    CONNECTED,
    /** No upstream could be connected (trigger connect-failed; side: upstream). */
    CONNECT_FAILED,
    /** Our FIN, after everything queued before it, is with the kernel. */
    FIN_SENT,
    /** Everything sent on the half-closed socket, our FIN included, has reached the peer. */
    DRAINED,
    /** The socket's linger deadline passed. */
    LINGER_DEADLINE,
    /** The socket is closed, whoever closed it. */
    CLOSED
}
