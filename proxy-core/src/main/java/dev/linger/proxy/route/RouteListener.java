package dev.linger.proxy.route;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A route's listening socket. Accepted connections start with autoRead off, so nothing is read from a
 * client before its upstream is connected, and with half-closure on, so a FIN is an event rather
 * than a close.
 */
public final class RouteListener {

    private static final int BACKLOG = 1024;
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final Route route;
    private final Channel serverChannel;

    private RouteListener(Route route, Channel serverChannel) {
        this.route = route;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds {@code route}'s listener on {@code group}; blocks until bound.
     *
     * @throws BindFailedException when the address cannot be bound; its message is one operator line
     */
    public static RouteListener bind(Route route, EventLoopGroup group,
            Class<? extends ServerChannel> serverChannelClass, ChannelGroup channels) throws BindFailedException {
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
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(serverChannelClass)
                .option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ClientInitializer(route, channels))
                .bind(address);
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
            bind.channel().close();
            Throwable cause = bind.cause();
            String reason = cause == null ? "timed out" : String.valueOf(cause.getMessage());
            throw new BindFailedException(where + " (expected: an address this host can bind: " + reason + ")", cause);
        }
        return new RouteListener(route, bind.channel());
    }

    public Route route() {
        return route;
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
