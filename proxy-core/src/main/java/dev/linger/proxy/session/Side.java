package dev.linger.proxy.session;

/** One of a session's two connections. */
enum Side {
    CLIENT,
    UPSTREAM;

    /** The other side of the session. */
    Side peer() {
        return this == CLIENT ? UPSTREAM : CLIENT;
    }
}
