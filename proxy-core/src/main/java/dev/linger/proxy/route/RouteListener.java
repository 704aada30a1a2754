package dev.linger.proxy.route;

import dev.linger.proxy.session.ClientInitializer;
import dev.linger.proxy.session.EpollSessions;
import dev.linger.proxy.transport.EpollAcceptor;
import dev.linger.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseCombiner;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A route's listening socket. Accepted connections are read from the start, while their upstream
 * connects too (the session bounds what it holds meanwhile), and have half-closure on, so a FIN is an
 * event rather than a close. A reload may hand the listener a new version of its route: connections accepted from
 * then on use it.
 *
 * <p>On epoll ({@link Transport#socketsWithoutChannels()}) each event loop gets a listening socket of its own on
 * the same address ({@code SO_REUSEPORT}): the kernel spreads new connections over them, and a session stays
 * on the loop that accepted it. With one listening socket, every accepted connection would be handed to
 * another loop's task queue and wake it. Elsewhere one listening channel serves the group.
 */
final class RouteListener {

    private static final int BACKLOG = 1024;
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private volatile Route route;
    private Channel serverChannel;
    /** On epoll: the listening sockets, without channels. */
    private final List<EpollAcceptor> acceptors = new ArrayList<>();

    private RouteListener(Route route) {
        this.route = route;
    }

    /**
     * Binds {@code route}'s listener on {@code group}; blocks until bound.
     *
     * @throws BindFailedException when the address cannot be bound; its message is one operator line
     */
    static RouteListener bind(Route route, EventLoopGroup group,
            Transport transport) throws BindFailedException {
        String where = "proxy.routes." + route.name() + ".listen: '" + route.config().listen() + "'";
        SocketAddress address;
        try {
            address = route.config().listen().resolve();
        } catch (IllegalArgumentException | SecurityException e) {
            throw new BindFailedException(where + " (expected: an address this host can bind: " + e.getMessage() + ")", e);
        }
        if (((InetSocketAddress) address).isUnresolved()) {
            throw new BindFailedException(where + " (expected: an address this host can bind: unknown host)", null);
        }
        RouteListener listener = new RouteListener(route);
        if (transport.socketsWithoutChannels()) {
            listener.bindEpoll((InetSocketAddress) address, group, where);
            return listener;
        }
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group, group)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ClientInitializer(listener::route));
        withSessionSocketOptions(bootstrap);
        listener.add(bootstrap.bind(address), where);
        return listener;
    }

    /**
     * Gives every socket {@code bootstrap} accepts what a session socket needs: half-closure, so a FIN is
     * an event rather than a close; the shared read sizing; and write accounting by queued memory.
     * autoRead stays on (Netty's default): the client is read while its upstream connects, so its first
     * bytes go out as soon as the upstream is there; the session bounds what it holds meanwhile.
     * TCP_NODELAY: Netty turns it on for every socket of every transport used here; setting it again would
     * cost a second setsockopt per connection.
     */
    static ServerBootstrap withSessionSocketOptions(ServerBootstrap bootstrap) {
        return bootstrap
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS)
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, Transport.QUEUED_MEMORY);
    }

    /** One listening socket per event loop of {@code group}, sharing the port when there are several. */
    private void bindEpoll(InetSocketAddress address, EventLoopGroup group, String where) throws BindFailedException {
        List<IoEventLoop> loops = new ArrayList<>();
        group.forEach(executor -> loops.add((IoEventLoop) executor));
        try {
            for (IoEventLoop loop : loops) {
                // The first socket settles the port (port 0 picks one); the others share it.
                InetSocketAddress bindTo = acceptors.isEmpty() ? address
                        : new InetSocketAddress(address.getAddress(), localAddress().getPort());
                acceptors.add(EpollAcceptor.bind(loop, bindTo, BACKLOG, loops.size() > 1,
                        (on, socket, remote) -> EpollSessions.accepted(on, socket, remote, route())));
            }
        } catch (IOException e) {
            close().awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new BindFailedException(where + " (expected: an address this host can bind: " + e.getMessage() + ")", e);
        }
    }

    private void add(ChannelFuture bind, String where) throws BindFailedException {
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
            bind.channel().close();
            Throwable cause = bind.cause();
            String reason = cause == null ? "timed out" : String.valueOf(cause.getMessage());
            throw new BindFailedException(where + " (expected: an address this host can bind: " + reason + ")", cause);
        }
        serverChannel = bind.channel();
    }

    /** The version of the route new connections get. */
    Route route() {
        return route;
    }

    /** New connections get {@code next} from now on; live sessions keep the version they have. */
    void serve(Route next) {
        this.route = next;
    }

    /** The bound address (the real port when the route listens on port 0). */
    InetSocketAddress localAddress() {
        if (!acceptors.isEmpty()) {
            return acceptors.get(0).localAddress();
        }
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting on every listening socket of the route; live sessions are not touched. */
    Future<Void> close() {
        if (acceptors.isEmpty()) {
            return serverChannel == null ? ImmediateEventExecutor.INSTANCE.newSucceededFuture(null) : serverChannel.close();
        }
        Promise<Void> closed = ImmediateEventExecutor.INSTANCE.newPromise();
        PromiseCombiner combiner = new PromiseCombiner(ImmediateEventExecutor.INSTANCE);
        acceptors.forEach(acceptor -> combiner.add(acceptor.stop()));
        combiner.finish(closed);
        return closed;
    }
}
