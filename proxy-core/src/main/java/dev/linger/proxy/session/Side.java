package dev.linger.proxy.session;

/** One of a session's two connections. */
public enum Side {
    CLIENT,
    UPSTREAM;

    /** The other side of the session. */
    public Side peer() {
        return this == CLIENT ? UPSTREAM : CLIENT;
    }
}
