package dev.linger.proxy.session;

import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.upstream.Dialer;
import dev.linger.proxy.upstream.UpstreamAttempt;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** What a session needs of its route: settings, meters, admission and upstream connects. */
public interface SessionRoute {

    RouteConfig config();

    RouteMeters meters();

    /** Whether each session's end is written to the access log. */
    boolean accessLog();

    /** How a half-closed socket is known to have drained on the route's transport. */
    DrainProbe drainProbe();

    /** Admits {@code session} unless the route is at {@code max-connections}; true when admitted. */
    boolean admit(Session session);

    /** {@code session} has ended: both its channels are closed. Called once per session. */
    void ended(Session session);

    /** The count of open session channels the session's channels join. */
    SessionChannels channels();

    /** Starts connecting an upstream on {@code loop}, each try opened by {@code dialer}. */
    <S> UpstreamAttempt<S> connect(EventLoop loop, Dialer<S> dialer);

    /**
     * Starts connecting a channel of the route's transport to {@code address}, its upstream at {@code index},
     * with {@code handler} as its pipeline.
     */
    ChannelFuture openChannel(int index, InetSocketAddress address, EventLoop loop, ChannelHandler handler);
}
