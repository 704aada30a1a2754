package dev.linger.proxy.session;

import dev.linger.proxy.upstream.Dialer;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import java.net.InetSocketAddress;

/** Opens a session's upstream tries as {@link EpollSocket}s on the session's own event loop. */
final class EpollDialer implements Dialer<SessionSocket> {

    private final Session session;
    private final SessionRoute route;

    EpollDialer(Session session, SessionRoute route) {
        this.session = session;
        this.route = route;
    }

    @Override
    public SessionSocket dial(int index, InetSocketAddress address, EventLoop loop, Dialed<SessionSocket> done) {
        return EpollSocket.connect((IoEventLoop) loop, address, session, route.channels(), done);
    }

    @Override
    public void abandon(SessionSocket socket) {
        socket.close();
    }
}
