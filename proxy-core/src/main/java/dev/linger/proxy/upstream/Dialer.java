package dev.linger.proxy.upstream;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/**
 * Makes one connect try of an upstream attempt: the socket layer's part of it (a Netty channel, or a socket
 * registered on the event loop without one). The attempt picks the upstream, resolves its address, times the
 * try and retries; the dialer only opens the socket.
 *
 * @param <S> the socket a try makes
 */
public interface Dialer<S> {

    /**
     * Starts connecting to {@code address} (resolved), the route's upstream at {@code index}, on {@code loop};
     * {@code done} hears once, on {@code loop}, how it went (possibly before this returns). Answers the socket
     * being connected.
     */
    S dial(int index, InetSocketAddress address, EventLoop loop, Dialed<S> done);

    /** Closes a socket {@link #dial} answered; a connect still in progress then fails. */
    void abandon(S socket);

    /** Hears how a connect try went. */
    interface Dialed<S> {
        /** {@code socket} connected ({@code failure} null), or failed with {@code failure} and is closed. */
        void dialed(S socket, Throwable failure);
    }
}
