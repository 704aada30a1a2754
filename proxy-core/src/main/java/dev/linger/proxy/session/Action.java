package dev.linger.proxy.session;

/**
 * What the {@link TeardownMachine} asks its session to do. Actions marked "per side" come with the side
 * they apply to ({@link Actions#has(Action, Side)}); the others concern the session as a whole.
 */
enum Action {
    /** Per side: flush what is queued toward it, then send our FIN; its linger deadline starts. */
    HALF_CLOSE,
    /** Per side: ask whether that half-closed socket has drained (report {@link Event#DRAINED} when it has). */
    PROBE,
    /** Per side: that socket drained; its linger deadline is off, and it waits at most for the peer's FIN. */
    STOP_DEADLINE,
    /** Per side: read that socket again, to find its FIN behind what it still sends (which is dropped). */
    READ,
    /** Per side: that socket is lost (reset or failed): drop what is queued for it and reset it. */
    RESET,
    /** The upstream is there: relay both ways, after the client bytes held meanwhile. */
    START_RELAY,
    /** A connect that completed too late: reset that connection, the session does not take it. */
    DROP_CONNECTION,
    /** Abandon the upstream connect in progress. */
    CANCEL_CONNECT,
    /** The session is in graceful teardown from now on (the draining gauge counts it until it ends). */
    START_DRAINING,
    /** From now on, bytes read are dropped and counted as discarded, and so are bytes held for the upstream. */
    DISCARD,
    /** Abort: what was read before the trigger goes out, the rest is dropped, both sockets are reset. */
    RESET_BOTH,
    /** Every half-closed socket drained and both FINs are in: close both sockets, the session ends. */
    CLOSE_BOTH,
    /** Both sockets are closed: count the session once, on its trigger and path. */
    COUNT;

    /** Whether the action applies to one side. */
    boolean perSide() {
        return ordinal() <= RESET.ordinal();
    }
}
