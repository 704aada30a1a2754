package dev.linger.proxy.session;

import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.LinuxSocket;
import java.io.IOException;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each client connection an epoll listener accepts into a session on the epoll socket layer
 * ({@link EpollSocket}): no channel, no pipeline.
 */
public final class EpollSessions {

    private static final Logger log = LoggerFactory.getLogger(EpollSessions.class);

    private EpollSessions() {
    }

    /**
     * Starts a session of {@code route} for {@code client}, accepted on {@code loop} (and called there), whose
     * peer is {@code remote}.
     */
    public static void accepted(IoEventLoop loop, LinuxSocket client, SocketAddress remote, SessionRoute route) {
        EpollSocket socket = EpollSocket.accepted(loop, client, remote, route.channels());
        HeaderIntake header = null;
        if (Session.speaksProxyProtocol(route.config())) {
            header = new HeaderIntake(loop, socket);
            if (route.config().proxyProtocol().accept()) {
                socket.decodeProxyHeader();
            }
        }
        Session session = new Session(loop, route, socket, header, SocketLayer.EPOLL);
        try {
            client.setTcpNoDelay(true);
            socket.start(session, Side.CLIENT);
        } catch (IOException | RuntimeException e) {
            log.debug("accepted connection from {} not registered", remote, e);
            socket.reset();
            return;
        }
        session.start();
    }
}
