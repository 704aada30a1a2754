package dev.linger.proxy.route;

import dev.linger.proxy.transport.EpollHalfClosure;
import dev.linger.proxy.transport.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A route's listening socket. Accepted connections start with autoRead off, so nothing is read from a
 * client before its upstream is connected, and with half-closure on, so a FIN is an event rather
 * than a close. A reload may hand the listener a new version of its route: connections accepted from
 * then on use it.
 */
public final class RouteListener {

    private static final int BACKLOG = 1024;
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private volatile Route route;
    private Channel serverChannel;

    private RouteListener(Route route) {
        this.route = route;
    }

    /**
     * Binds {@code route}'s listener on {@code group}; blocks until bound.
     *
     * @throws BindFailedException when the address cannot be bound; its message is one operator line
     */
    public static RouteListener bind(Route route, EventLoopGroup group,
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
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channelFactory(transport.serverChannelFactory(address))
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(EpollHalfClosure.PREPARE_ACCEPTED)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.RECEIVE_BUFFERS)
                // TCP_NODELAY: Netty turns it on for every socket of every transport used here; setting it
                // again would cost a second setsockopt per connection.
                .childHandler(new ClientInitializer(listener))
                .bind(address);
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
            bind.channel().close();
            Throwable cause = bind.cause();
            String reason = cause == null ? "timed out" : String.valueOf(cause.getMessage());
            throw new BindFailedException(where + " (expected: an address this host can bind: " + reason + ")", cause);
        }
        listener.serverChannel = bind.channel();
        return listener;
    }

    /** The version of the route new connections get. */
    public Route route() {
        return route;
    }

    /** New connections get {@code next} from now on; live sessions keep the version they have. */
    void serve(Route next) {
        this.route = next;
    }

    /** The bound address (the real port when the route listens on port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting; live sessions are not touched. */
    public ChannelFuture close() {
        return serverChannel.close();
    }
}
