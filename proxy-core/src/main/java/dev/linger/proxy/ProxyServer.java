package dev.linger.proxy;

import dev.linger.proxy.config.ProxyConfig;
import java.net.InetSocketAddress;

/** STUB: replaced by the real server. */
public final class ProxyServer implements AutoCloseable {

    /** Starts event loops and binds every route's listener; throws ProxyStartException (one-line message) if a listener cannot bind. */
    public static ProxyServer start(ProxyConfig config) throws ProxyStartException {
        throw new UnsupportedOperationException("todo");
    }

    /** The address route {@code name}'s listener is bound to (useful with port 0). */
    public InetSocketAddress boundAddress(String route) {
        throw new UnsupportedOperationException("todo");
    }

    /** The transport in use: epoll, io_uring or nio. */
    public String transportName() {
        throw new UnsupportedOperationException("todo");
    }

    /** Closes listeners and every session, then stops the event loops; returns when done. */
    @Override
    public void close() {
    }
}
