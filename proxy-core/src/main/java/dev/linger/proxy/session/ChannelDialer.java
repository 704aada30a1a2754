package dev.linger.proxy.session;

import dev.linger.proxy.upstream.Dialer;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** Opens a session's upstream tries as channels of the route's transport, each with a relay handler of its own. */
final class ChannelDialer implements Dialer<SessionSocket> {

    private final Session session;
    private final SessionRoute route;

    ChannelDialer(Session session, SessionRoute route) {
        this.session = session;
        this.route = route;
    }

    @Override
    public SessionSocket dial(int index, InetSocketAddress address, EventLoop loop, Dialed<SessionSocket> done) {
        ChannelFuture connect = route.openChannel(index, address, loop, SessionPipelines.upstream(
                route.config().proxyProtocol().send(), new RelayHandler(session, Side.UPSTREAM)));
        ChannelSocket socket = new ChannelSocket(connect.channel(), route.drainProbe());
        connect.addListener(connected -> done.dialed(socket, connected.cause()));
        return socket;
    }

    @Override
    public void abandon(SessionSocket socket) {
        socket.close();
    }
}
