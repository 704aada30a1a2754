package dev.linger.proxy.session;

import dev.linger.proxy.upstream.Dialer;

/**
 * The socket layer a session runs on: its upstream sockets are made by the same layer as its client socket.
 */
interface SocketLayer {

    /** Netty channels, with the pipelines {@link SessionPipelines} describes. */
    SocketLayer CHANNELS = ChannelDialer::new;

    /** Sockets registered on the epoll event loop directly ({@link EpollSocket}). */
    SocketLayer EPOLL = EpollDialer::new;

    /** Opens each upstream socket {@code session} tries, on {@code route}. */
    Dialer<SessionSocket> dialer(Session session, SessionRoute route);
}
