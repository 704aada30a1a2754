package dev.linger.proxy.session;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.Trigger;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its upstream connection, and the single owner of how they end.
 *
 * <p>Both channels live on the client's event loop, so every method here runs on that one thread
 * and the state needs no locks; calls from elsewhere ({@link #end(Trigger)}) hop onto it first.
 * Handlers only report what they saw: bytes ({@link #relay}), a peer's FIN ({@link #inputShutdown}),
 * a failure ({@link #failed}); the session applies the route's teardown policy to both channels.
 *
 * <p>Teardown begins at the first trigger, which is recorded once. Each event is then handled by the
 * policy for its own trigger: a FIN on a graceful route is forwarded as a half-close after the data
 * before it has been flushed; a reset travels on as a reset (abort) unless overridden. When the proxy
 * ends a session itself on a graceful route, it flushes, half-closes both sides, discards what they
 * still send until their FIN, and resets both if that takes longer than the linger deadline.
 */
public final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final Channel client;
    private final EventLoop loop;
    private final TeardownConfig teardown;
    private final SessionRegistry registry;
    private final Function<Session, ChannelFuture> connector;

    private Channel upstream;
    private boolean upstreamConnected;
    /** Client bytes read before the upstream connected, written to it on connect. */
    private ArrayDeque<ByteBuf> pendingToUpstream;

    private final HalfClose clientSide = new HalfClose();
    private final HalfClose upstreamSide = new HalfClose();

    private Trigger trigger;
    private Path path;
    private boolean discarding;
    private ScheduledFuture<?> lingerDeadline;
    private int openChannels;

    /**
     * @param client    the accepted client channel, registered on its event loop, autoRead off
     * @param teardown  the route's teardown policy
     * @param registry  told when the session opens and when both channels have closed
     * @param connector starts the upstream connect for a session, on the session's event loop
     */
    public Session(Channel client, TeardownConfig teardown, SessionRegistry registry,
            Function<Session, ChannelFuture> connector) {
        this.client = client;
        this.loop = client.eventLoop();
        this.teardown = teardown;
        this.registry = registry;
        this.connector = connector;
    }

    /** Registers the session and starts connecting its upstream. Call on the client's event loop. */
    public void start() {
        registry.opened(this);
        track(client);
        ChannelFuture connect = connector.apply(this);
        upstream = connect.channel();
        track(upstream);
        connect.addListener((ChannelFuture f) -> connected(f));
    }

    /** The client's event loop, shared by both channels; connect the upstream on it. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The trigger that began the teardown, or null while the session is running. */
    public Trigger trigger() {
        return trigger;
    }

    /** The path the session ended on, or null until it has ended. */
    public Path path() {
        return path;
    }

    /**
     * Ends the session from outside (shutdown, admin): the policy for {@code cause} decides how.
     * Safe to call from any thread.
     */
    public void end(Trigger cause) {
        if (loop.inEventLoop()) {
            endBy(cause);
        } else {
            loop.execute(() -> endBy(cause));
        }
    }

    // ---- events reported by the relay handlers -------------------------------------------------

    /** Bytes read from {@code from}: forward them to the other side. */
    void relay(Side from, ByteBuf bytes) {
        if (discarding || path != null) {
            bytes.release();
            return;
        }
        if (from == Side.CLIENT && !upstreamConnected) {
            if (pendingToUpstream == null) {
                pendingToUpstream = new ArrayDeque<>(4);
            }
            pendingToUpstream.add(bytes);
            return;
        }
        Channel to = channel(from.peer());
        to.write(bytes, to.voidPromise());
        if (!to.isWritable()) {
            // Backpressure: stop reading this side until the other drains below its low watermark.
            channel(from).config().setAutoRead(false);
        }
    }

    /** A read batch from {@code from} is complete: flush what it produced. */
    void readComplete(Side from) {
        if (from == Side.CLIENT && !upstreamConnected) {
            return;
        }
        channel(from.peer()).flush();
    }

    /** {@code side}'s channel crossed a write watermark: resume or keep pausing the other side. */
    void writabilityChanged(Side side) {
        Channel source = channel(side.peer());
        if (source == null || (side == Side.CLIENT && !upstreamConnected)) {
            return;
        }
        if (channel(side).isWritable() && !half(side.peer()).inputDone) {
            source.config().setAutoRead(true);
        }
    }

    /** {@code side} sent its FIN. */
    void inputShutdown(Side side) {
        HalfClose from = half(side);
        if (from.inputDone) {
            return;
        }
        from.inputDone = true;
        Trigger fin = side == Side.CLIENT ? Trigger.CLIENT_FIN : Trigger.UPSTREAM_FIN;
        record(fin);
        if (path != null) {
            return;
        }
        if (discarding) {
            closeIfBothDone();
            return;
        }
        if (teardown.policyFor(fin) == Policy.ABORT) {
            abort(Path.ABORT);
            return;
        }
        halfCloseToward(side.peer());
    }

    /** {@code side}'s channel failed: a reset, or another I/O error. */
    void failed(Side side, Throwable cause) {
        if (path != null) {
            return;
        }
        Trigger failure;
        if (Resets.isReset(cause)) {
            failure = side == Side.CLIENT ? Trigger.CLIENT_RST : Trigger.UPSTREAM_RST;
            log.debug("{} reset: {}", side, cause.toString());
        } else {
            failure = Trigger.ERROR;
            log.debug("{} failed", side, cause);
        }
        record(failure);
        // The failed socket is unusable; the policy decides how the other side learns of it.
        if (teardown.policyFor(failure) == Policy.ABORT) {
            abort(Path.ABORT);
        } else {
            half(side).inputDone = true;
            half(side).outputDone = true;
            resetChannel(channel(side));
            endGracefully();
        }
    }

    /** {@code side}'s channel closed. */
    void closed(Side side) {
        if (path == null && !(half(side).inputDone && half(side).outputDone)) {
            // Closed under us without a FIN or an error we saw: treat as a failure of that side.
            record(Trigger.ERROR);
            abort(Path.ABORT);
        }
    }

    // ---- teardown ------------------------------------------------------------------------------

    private void connected(ChannelFuture future) {
        if (path != null || discarding) {
            if (future.isSuccess()) {
                resetChannel(future.channel());
            }
            releasePending();
            return;
        }
        if (!future.isSuccess()) {
            log.debug("upstream connect failed: {}", future.cause().toString());
            record(Trigger.CONNECT_FAILED);
            upstreamSide.inputDone = true;
            upstreamSide.outputDone = true;
            releasePending();
            if (teardown.policyFor(Trigger.CONNECT_FAILED) == Policy.ABORT) {
                abort(Path.ABORT);
            } else {
                endGracefully();
            }
            return;
        }
        upstreamConnected = true;
        if (pendingToUpstream != null) {
            ByteBuf bytes;
            while ((bytes = pendingToUpstream.poll()) != null) {
                upstream.write(bytes, upstream.voidPromise());
            }
            pendingToUpstream = null;
            upstream.flush();
        }
        if (clientSide.inputDone) {
            halfCloseToward(Side.UPSTREAM);
        } else {
            client.config().setAutoRead(upstream.isWritable());
        }
    }

    private void endBy(Trigger cause) {
        if (path != null) {
            return;
        }
        record(cause);
        if (teardown.policyFor(cause) == Policy.ABORT) {
            abort(Path.ABORT);
        } else {
            endGracefully();
        }
    }

    /**
     * The proxy ends the session itself: flush what it holds, half-close each side that is still
     * writable, and read and discard until each side's FIN (closing with unread input would send an
     * RST), all under the linger deadline.
     */
    private void endGracefully() {
        if (discarding || path != null) {
            return;
        }
        discarding = true;
        releasePending();
        for (Side side : Side.values()) {
            Channel channel = channel(side);
            if (channel != null && channel.isActive() && !half(side).inputDone) {
                channel.config().setAutoRead(true);
            }
            if (side == Side.UPSTREAM && !upstreamConnected) {
                upstreamSide.inputDone = true;
                upstreamSide.outputDone = true;
                if (upstream != null) {
                    upstream.close();
                }
                continue;
            }
            halfCloseToward(side);
        }
        startLingerDeadline();
        closeIfBothDone();
    }

    /** Sends a FIN toward {@code side} once everything queued for it has been flushed. */
    private void halfCloseToward(Side side) {
        HalfClose target = half(side);
        if (target.outputDone || target.outputClosing) {
            return;
        }
        if (side == Side.UPSTREAM && !upstreamConnected) {
            return; // connected() forwards the FIN once the upstream is there
        }
        target.outputClosing = true;
        Channel channel = channel(side);
        // shutdownOutput() fails whatever is still queued in Netty's buffer: flush first, then FIN.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture flushed) -> {
            if (!flushed.isSuccess()) {
                failed(side, flushed.cause());
                return;
            }
            ((DuplexChannel) channel).shutdownOutput().addListener((ChannelFuture shut) -> {
                target.outputDone = true;
                closeIfBothDone();
            });
        });
    }

    private void closeIfBothDone() {
        if (path == null && clientSide.done() && upstreamSide.done()) {
            path = Path.GRACEFUL;
            cancelLingerDeadline();
            client.close();
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    private void startLingerDeadline() {
        if (lingerDeadline == null) {
            long nanos = teardown.lingerTimeout().toNanos();
            lingerDeadline = loop.schedule(() -> {
                if (path == null) {
                    abort(Path.LINGER_TIMEOUT);
                }
            }, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelLingerDeadline() {
        if (lingerDeadline != null) {
            lingerDeadline.cancel(false);
        }
    }

    /** Resets both sockets at once: SO_LINGER=0 and close. */
    private void abort(Path how) {
        if (path != null) {
            return;
        }
        path = how;
        cancelLingerDeadline();
        releasePending();
        resetChannel(client);
        resetChannel(upstream);
    }

    private static void resetChannel(Channel channel) {
        if (channel == null) {
            return;
        }
        if (channel.isOpen()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // The socket is already gone (e.g. a connect in progress): close() is all that is left.
                log.trace("SO_LINGER=0 not set", e);
            }
        }
        channel.close();
    }

    private void record(Trigger cause) {
        if (trigger == null) {
            trigger = cause;
        }
    }

    private void releasePending() {
        if (pendingToUpstream != null) {
            pendingToUpstream.forEach(ReferenceCountUtil::safeRelease);
            pendingToUpstream = null;
        }
    }

    private void track(Channel channel) {
        openChannels++;
        channel.closeFuture().addListener(f -> channelClosed());
    }

    private void channelClosed() {
        if (--openChannels == 0) {
            if (path == null) {
                path = Path.ABORT; // both gone without a decision of ours: nothing was drained
            }
            cancelLingerDeadline();
            releasePending();
            registry.ended(this);
        }
    }

    private Channel channel(Side side) {
        return side == Side.CLIENT ? client : upstream;
    }

    private HalfClose half(Side side) {
        return side == Side.CLIENT ? clientSide : upstreamSide;
    }

    /** One socket's half-close state: its FIN received, and ours sent. */
    private static final class HalfClose {
        boolean inputDone;
        boolean outputClosing;
        boolean outputDone;

        boolean done() {
            return inputDone && outputDone;
        }
    }
}
