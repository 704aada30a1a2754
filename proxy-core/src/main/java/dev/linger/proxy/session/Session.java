package dev.linger.proxy.session;

import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.ProxyProtocolConfig;
import dev.linger.proxy.config.ProxyProtocolVersion;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.metrics.Direction;
import dev.linger.proxy.metrics.RouteMeters;
import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.upstream.Upstream;
import dev.linger.proxy.upstream.UpstreamAttempt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its upstream connection, and the single owner of how they end.
 *
 * <p>Both channels live on the client's event loop, so every method here runs on that one thread
 * and the state needs no locks; calls from elsewhere ({@link #end}) hop onto it first. Handlers only
 * report what they saw: bytes ({@link #relay}), a peer's FIN ({@link #inputShutdown}), a failure
 * ({@link #failed}), idleness ({@link #idle}); the session applies the route's teardown policy.
 *
 * <p>Teardown begins at the first trigger, which is recorded once; the session is counted once, on
 * that trigger and the path it ended on. Each later event is handled by the policy for its own
 * trigger, so a reset still travels on as a reset after a graceful FIN. On a graceful route a FIN is
 * forwarded as a half-close once the data before it has been flushed; when the proxy ends a session
 * itself it flushes, half-closes both sides and discards what they still send until their FIN. Every
 * socket the proxy half-closes must drain within {@code linger-timeout} (see {@link SocketEnd}), or
 * both are reset and the session ends on path {@code linger-timeout}.
 */
public final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    /** How often, at most, an epoll session waiting for its FINs to be acknowledged asks the kernel. */
    private static final long DRAIN_POLL_MILLIS = 200;
    private static final long FIRST_DRAIN_POLL_MICROS = 500;
    /**
     * Client bytes a session holds while its upstream connects, before it stops reading the client (the
     * read that crosses it is kept too). HAProxy reads a client into its 16 KiB buffer the same way.
     */
    static final int HELD_WHILE_CONNECTING = 16 * 1024;

    private final Channel client;
    private final EventLoop loop;
    private final SessionRoute route;
    private final TeardownConfig teardown;
    private final RouteMeters meters;
    private final DrainProbe drainProbe;
    private final PendingFlushes flushes;
    private final long startNanos = System.nanoTime();

    /** The real client: the connection's peer, or the source a trusted PROXY header named. */
    private SocketAddress clientAddress;
    /** The address the client meant to reach, when a PROXY header named it. */
    private SocketAddress clientDestination;
    private boolean awaitingHeader;
    private ScheduledFuture<?> headerDeadline;
    private Channel upstream;
    // volatile: admin calls read the upstream of live sessions from their own thread
    private volatile UpstreamAttempt attempt;
    private boolean upstreamConnected;
    /** Client bytes read before the upstream connected, written to it on connect. */
    private ArrayDeque<ByteBuf> pendingToUpstream;
    private int pendingBytes;

    private final SocketEnd clientEnd = new SocketEnd();
    private final SocketEnd upstreamEnd = new SocketEnd();

    private Trigger trigger;
    private long triggerNanos;
    private TeardownPath path;
    private boolean discarding;
    private boolean draining;
    private ScheduledFuture<?> maxDurationTimer;
    private IdleWatch idleWatch;
    private ScheduledFuture<?> drainPoll;
    private long drainPollMicros = FIRST_DRAIN_POLL_MICROS;
    private int openChannels;
    private final long[] relayed = new long[Direction.values().length];
    private final long[] discarded = new long[Direction.values().length];

    /**
     * @param client the accepted client channel, registered on its event loop, autoRead on: it is read
     *               while its upstream connects
     * @param route  the route the client connected to
     */
    public Session(Channel client, SessionRoute route) {
        this.client = client;
        this.loop = client.eventLoop();
        this.route = route;
        RouteConfig config = route.config();
        this.teardown = config.teardown();
        this.meters = route.meters();
        this.drainProbe = route.drainProbe();
        this.flushes = new PendingFlushes(loop, side -> {
            Channel channel = channel(side);
            if (channel != null) {
                channel.flush();
            }
        });
    }

    /**
     * Admits the session (or refuses it with trigger {@code rejected}) and starts connecting its
     * upstream. Call on the client's event loop once the client's relay handler is in place.
     */
    public void start() {
        meters.accepted();
        clientAddress = client.remoteAddress();
        track(client, Side.CLIENT);
        if (!route.admit(this)) {
            upstreamEnd.dead = true;
            endBy(Trigger.REJECTED, teardown.policyFor(Trigger.REJECTED));
            return;
        }
        idleWatch = new IdleWatch(loop, route.config().idleTimeout().toNanos(), this::idle);
        idleWatch.watchOutput(client, null);
        idleWatch.start();
        if (route.config().hasMaxDuration()) {
            maxDurationTimer = loop.schedule(() -> endBy(Trigger.MAX_DURATION,
                    teardown.policyFor(Trigger.MAX_DURATION)), route.config().maxDuration().toNanos(), TimeUnit.NANOSECONDS);
        }
        ProxyProtocolConfig proxyProtocol = route.config().proxyProtocol();
        if (proxyProtocol.accept()) {
            awaitProxyHeader(proxyProtocol);
        } else {
            connectUpstream();
        }
    }

    /**
     * The client must open with a PROXY header naming the real client; only trusted networks may send
     * one. Nothing is connected upstream before it has arrived, within the connect timeout.
     */
    private void awaitProxyHeader(ProxyProtocolConfig proxyProtocol) {
        if (!ProxyHeaders.trusted(clientAddress, proxyProtocol.trustedSources())) {
            log.debug("PROXY header not accepted from untrusted {}", clientAddress);
            upstreamEnd.dead = true;
            endBy(Trigger.ERROR, teardown.policyFor(Trigger.ERROR));
            return;
        }
        awaitingHeader = true;
        headerDeadline = loop.schedule(() -> {
            if (awaitingHeader) {
                log.debug("no PROXY header from {} within {}", clientAddress, route.config().connectTimeout());
                upstreamEnd.dead = true;
                endBy(Trigger.ERROR, teardown.policyFor(Trigger.ERROR));
            }
        }, route.config().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the client's PROXY header is still awaited and the session has decided nothing yet. */
    boolean awaitingProxyHeader() {
        return awaitingHeader && path == null && !discarding;
    }

    /** The client's PROXY header arrived: it names the real client; now the upstream is connected. */
    void proxyHeader(HAProxyMessage header) {
        if (!awaitingHeader || path != null || discarding) {
            return;
        }
        awaitingHeader = false;
        headerDeadline.cancel(false);
        clientAddress = ProxyHeaders.source(header, clientAddress);
        clientDestination = ProxyHeaders.destination(header, client.localAddress());
        connectUpstream();
    }

    private void connectUpstream() {
        ProxyProtocolVersion send = route.config().proxyProtocol().send();
        attempt = route.connect(loop, () -> send == ProxyProtocolVersion.OFF
                ? new RelayHandler(this, Side.UPSTREAM)
                : ProxyHeaders.encodingPipeline(new RelayHandler(this, Side.UPSTREAM)));
        attempt.connected().addListener(f -> connected(attempt.connected()));
    }

    /** The upstream this session was sent to (or is connecting to); null if it was refused before. */
    public Upstream upstreamTarget() {
        return attempt == null ? null : attempt.upstream();
    }

    /** The count its channels join while they are open. */
    SessionChannels channels() {
        return route.channels();
    }

    /** The path the session ended on, or null until it has ended. */
    public TeardownPath path() {
        return path;
    }

    /**
     * Ends the session from outside (shutdown, admin) with {@code cause} as trigger and the given
     * policy. Safe to call from any thread.
     */
    public void end(Trigger cause, Policy policy) {
        if (loop.inEventLoop()) {
            endBy(cause, policy);
        } else {
            loop.execute(() -> endBy(cause, policy));
        }
    }

    /** Ends the session from outside under the route's policy for {@code cause}. Any thread. */
    public void end(Trigger cause) {
        end(cause, teardown.policyFor(cause));
    }

    // ---- events reported by the relay handlers -------------------------------------------------

    /** Bytes read from {@code from}: forward them to the other side. */
    void relay(Side from, ByteBuf bytes) {
        Direction direction = towards(from.peer());
        int count = bytes.readableBytes();
        if (discarding || path != null) {
            discarded[direction.ordinal()] += count;
            meters.discarded(direction, count);
            bytes.release();
            return;
        }
        if (from == Side.CLIENT && !upstreamConnected) {
            holdForUpstream(bytes);
            return;
        }
        relayed[direction.ordinal()] += count;
        meters.relayed(direction, count);
        Channel to = channel(from.peer());
        to.write(bytes, to.voidPromise());
        flushes.written(from.peer());
        if (!to.isWritable()) {
            // Past the high watermark: what waits goes now rather than at the iteration's end, so that a
            // bulk stream is not stopped at every full read (and its epoll interest changed twice). Only if
            // the socket cannot take it all does backpressure stop reading this side, until the other side
            // drains below its low watermark.
            flushes.take(from.peer());
            to.flush();
            if (!to.isWritable()) {
                channel(from).config().setAutoRead(false);
            }
        }
    }

    /**
     * Keeps client bytes until the upstream is connected (counted as relayed once written to it), and stops
     * reading the client once it holds {@link #HELD_WHILE_CONNECTING}.
     */
    private void holdForUpstream(ByteBuf bytes) {
        if (pendingToUpstream == null) {
            pendingToUpstream = new ArrayDeque<>(4);
        }
        pendingToUpstream.add(bytes);
        pendingBytes += bytes.readableBytes();
        if (pendingBytes >= HELD_WHILE_CONNECTING) {
            client.config().setAutoRead(false); // connected() resumes it
        }
    }

    /** A read batch from {@code from} is complete: what it produced is flushed (see {@link PendingFlushes}). */
    void readComplete(Side from) {
        if (idleWatch != null) {
            idleWatch.activity();
        }
        SocketEnd fromEnd = end(from);
        if (fromEnd.finReceived) {
            Sockets.resumeStalledWrites(channel(from));
        } else if (fromEnd.finSent && !fromEnd.drained) {
            // The peer spoke after our FIN: it may have acknowledged it, and its own FIN may end this read.
            checkDrained(from);
        }
        flushes.batchComplete(from.peer());
    }

    /** {@code side}'s channel crossed a write watermark: resume the other side once it can take more. */
    void writabilityChanged(Side side) {
        Channel source = channel(side.peer());
        if (source == null || (side == Side.CLIENT && !upstreamConnected)) {
            return;
        }
        if (channel(side).isWritable() && !end(side.peer()).finReceived) {
            source.config().setAutoRead(true);
        }
    }

    /** {@code side} sent its FIN. */
    void inputShutdown(Side side) {
        SocketEnd from = end(side);
        if (from.finReceived) {
            return;
        }
        from.finReceived = true;
        Trigger fin = side == Side.CLIENT ? Trigger.CLIENT_FIN : Trigger.UPSTREAM_FIN;
        record(fin);
        if (path != null) {
            return;
        }
        if (discarding) {
            checkDrained(side);
            return;
        }
        if (teardown.policyFor(fin) == Policy.ABORT) {
            abort(TeardownPath.ABORT);
            return;
        }
        startDraining();
        halfCloseToward(side.peer());
        checkDrained(side);
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
        if (teardown.policyFor(failure) == Policy.ABORT) {
            abort(TeardownPath.ABORT);
            return;
        }
        if (cause instanceof DecoderException) {
            // A protocol error (a bad PROXY header): the socket itself is fine, end it gracefully too.
            // The decoder goes first: it would fail (and close the channel) again at the client's FIN.
            ChannelHandlerContext decoder = client.pipeline().context(HAProxyMessageDecoder.class);
            if (decoder != null) {
                client.pipeline().remove(decoder.handler());
            }
            awaitingHeader = false;
            if (!upstreamConnected) {
                upstreamEnd.dead = true;
            }
            endGracefully();
            return;
        }
        // The failed socket is unusable: drop it, and end the other side gracefully.
        SocketEnd dead = end(side);
        dead.dead = true;
        discardOutbound(channel(side), towards(side));
        Sockets.reset(channel(side));
        endGracefully();
    }

    /** {@code side}'s channel closed. */
    void closed(Side side) {
        if (path == null && !end(side).dead && !end(side).closesAtPeerFin) {
            // Closed under us without a FIN or an error we saw.
            record(Trigger.ERROR);
            abort(TeardownPath.ABORT);
        }
    }

    /** No byte moved either way for {@code idle-timeout}. */
    void idle() {
        endBy(Trigger.IDLE_TIMEOUT, teardown.policyFor(Trigger.IDLE_TIMEOUT));
    }

    // ---- teardown ------------------------------------------------------------------------------

    private void connected(Future<Channel> future) {
        if (path != null || discarding) {
            if (future.isSuccess()) {
                Sockets.reset(future.getNow());
            }
            return;
        }
        if (!future.isSuccess()) {
            log.debug("upstream {} connect failed: {}", attempt.upstream(), future.cause().toString());
            upstreamEnd.dead = true;
            record(Trigger.CONNECT_FAILED);
            if (teardown.policyFor(Trigger.CONNECT_FAILED) == Policy.ABORT) {
                abort(TeardownPath.ABORT);
            } else {
                endGracefully();
            }
            return;
        }
        upstream = future.getNow();
        track(upstream, Side.UPSTREAM);
        idleWatch.watchOutput(client, upstream);
        ProxyProtocolVersion send = route.config().proxyProtocol().send();
        if (send != ProxyProtocolVersion.OFF) {
            // The address the client connected to, unless its own PROXY header named another. Looked up
            // only here: getsockname is a system call on every new connection otherwise.
            SocketAddress destination = clientDestination != null ? clientDestination : client.localAddress();
            upstream.write(ProxyHeaders.header(send, clientAddress, destination), upstream.voidPromise());
        }
        upstreamConnected = true;
        if (pendingToUpstream != null) {
            relayed[Direction.UPSTREAM.ordinal()] += pendingBytes;
            meters.relayed(Direction.UPSTREAM, pendingBytes);
            ByteBuf bytes;
            while ((bytes = pendingToUpstream.poll()) != null) {
                upstream.write(bytes, upstream.voidPromise());
            }
            pendingToUpstream = null;
            pendingBytes = 0;
            upstream.flush();
        }
        if (clientEnd.finReceived) {
            halfCloseToward(Side.UPSTREAM);
        } else {
            client.config().setAutoRead(upstream.isWritable());
        }
    }

    private void endBy(Trigger cause, Policy policy) {
        if (path != null) {
            return;
        }
        record(cause);
        if (policy == Policy.ABORT) {
            abort(TeardownPath.ABORT);
        } else {
            endGracefully();
        }
    }

    /**
     * The proxy ends the session itself: flush what it holds, half-close each side still connected,
     * and read and discard until each side's FIN (closing with unread input would send an RST).
     */
    private void endGracefully() {
        if (discarding || path != null) {
            return;
        }
        discarding = true;
        startDraining();
        discardPendingToUpstream();
        if (!upstreamConnected && !upstreamEnd.dead) {
            upstreamEnd.dead = true; // a connect in progress is abandoned: nothing was sent on it
            cancelConnect();
        }
        for (Side side : Side.values()) {
            Channel channel = channel(side);
            if (!end(side).dead && !end(side).finReceived) {
                channel.config().setAutoRead(true);
            }
            halfCloseToward(side);
        }
        checkDone();
    }

    /** Sends a FIN toward {@code side} once everything queued for it is flushed, under the linger deadline. */
    private void halfCloseToward(Side side) {
        SocketEnd target = end(side);
        if (target.dead || target.finSending) {
            return;
        }
        if (side == Side.UPSTREAM && !upstreamConnected) {
            return; // connected() forwards the FIN once the upstream is there
        }
        target.finSending = true;
        target.lingerDeadline = loop.schedule(() -> lingerExpired(side),
                teardown.lingerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        Channel channel = channel(side);
        if (flushes.take(side)) {
            Sockets.corkBeforeFin(channel); // the bytes read with the FIN we forward leave with it
        }
        // shutdownOutput() fails whatever is still queued in Netty's buffer: flush first, then FIN.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFuture flushed) -> {
            if (!flushed.isSuccess()) {
                failed(side, flushed.cause());
                return;
            }
            Sockets.shutdownOutput(channel).addListener((ChannelFuture shut) -> {
                target.finSent = true;
                // On loopback and fast links the ACK is often in by now: one look, then polls if not.
                checkDrained(side);
            });
        });
    }

    /**
     * Whether the socket toward {@code side}, which the proxy half-closed, has drained: on epoll the
     * kernel says our FIN was acknowledged; elsewhere Netty's buffer is empty (the FIN went out after
     * the flush) and the peer has sent its own FIN.
     */
    private void checkDrained(Side side) {
        SocketEnd socket = end(side);
        if (path == null && !socket.dead && socket.finSent && !socket.drained) {
            DrainProbe.Drain drain = drainProbe.drain(channel(side));
            if (drain == DrainProbe.Drain.DRAINED
                    || (drain == DrainProbe.Drain.UNKNOWN && socket.finReceived)) {
                socket.drained = true;
                socket.cancelDeadline();
            } else if (drain == DrainProbe.Drain.PENDING) {
                scheduleDrainPoll();
            }
            if (socket.drained && !socket.finReceived) {
                // Only the peer's FIN is left to wait for: its transport may close the socket then.
                socket.closesAtPeerFin = Sockets.closeAtPeerFin(channel(side));
            }
        }
        checkDone();
        if (path == null && !socket.dead && socket.finSent) {
            Sockets.stayOpenAfterFin(channel(side)); // not before checkDone: a socket closed now needs nothing
        }
    }

    /**
     * Asks the kernel again after a delay that starts at {@value #FIRST_DRAIN_POLL_MICROS} µs and doubles
     * up to {@value #DRAIN_POLL_MILLIS} ms: on loopback or a LAN the ACK is there at the first look, and
     * thousands of sessions draining toward slow peers cost one look each per 200 ms. The polls only
     * decide how soon a drained session is closed: the linger deadline asks once more before it resets.
     */
    private void scheduleDrainPoll() {
        if (drainPoll == null) {
            long delay = drainPollMicros;
            drainPollMicros = Math.min(drainPollMicros * 2, DRAIN_POLL_MILLIS * 1000);
            drainPoll = loop.schedule(() -> {
                drainPoll = null; // running now: a check below that is still pending must schedule anew
                checkDrained(Side.CLIENT);
                checkDrained(Side.UPSTREAM);
            }, delay, TimeUnit.MICROSECONDS);
        }
    }

    /** Both directions have seen FIN and every half-closed socket drained: close on path graceful. */
    private void checkDone() {
        if (path == null && clientEnd.done() && upstreamEnd.done()) {
            path = TeardownPath.GRACEFUL;
            cancelTimers();
            client.close();
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    private void lingerExpired(Side side) {
        checkDrained(side); // the last poll may be up to DRAIN_POLL_MILLIS old
        if (path == null && !end(side).drained) {
            log.debug("{} did not drain within {}", side, teardown.lingerTimeout());
            abort(TeardownPath.LINGER_TIMEOUT);
        }
    }

    /** Resets both sockets at once (SO_LINGER=0 and close), dropping what the proxy still holds. */
    private void abort(TeardownPath how) {
        if (path != null) {
            return;
        }
        path = how;
        log.debug("reset both sockets: trigger {}, path {}", trigger, how);
        cancelTimers();
        flushes.flushAll(); // what was read before the trigger goes out before the RST, as it is read
        discardPendingToUpstream();
        discardOutbound(client, Direction.DOWNSTREAM);
        discardOutbound(upstream, Direction.UPSTREAM);
        Sockets.reset(client);
        Sockets.reset(upstream);
        cancelConnect();
    }

    private void cancelConnect() {
        if (attempt != null && !upstreamConnected) {
            attempt.cancel();
        }
    }

    private void startDraining() {
        if (!draining) {
            draining = true;
            meters.drainingStarted();
        }
    }

    private void record(Trigger cause) {
        if (trigger == null) {
            trigger = cause;
            triggerNanos = System.nanoTime();
        }
    }

    private void discardPendingToUpstream() {
        if (pendingToUpstream != null) {
            ByteBuf bytes;
            while ((bytes = pendingToUpstream.poll()) != null) {
                discard(Direction.UPSTREAM, bytes.readableBytes());
                bytes.release();
            }
            pendingToUpstream = null;
            pendingBytes = 0;
        }
    }

    private void discardOutbound(Channel channel, Direction direction) {
        if (channel == null) {
            return;
        }
        ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
        if (outbound != null) {
            discard(direction, outbound.totalPendingWriteBytes());
        }
    }

    private void discard(Direction direction, long count) {
        discarded[direction.ordinal()] += count;
        meters.discarded(direction, count);
    }

    private void cancelTimers() {
        clientEnd.cancelDeadline();
        upstreamEnd.cancelDeadline();
        if (maxDurationTimer != null) {
            maxDurationTimer.cancel(false);
        }
        if (idleWatch != null) {
            idleWatch.cancel();
        }
        if (headerDeadline != null) {
            headerDeadline.cancel(false);
        }
        if (drainPoll != null) {
            drainPoll.cancel(false);
        }
    }

    private void track(Channel channel, Side side) {
        openChannels++;
        channel.closeFuture().addListener(f -> channelClosed(side));
    }

    private void channelClosed(Side side) {
        SocketEnd end = end(side);
        if (path == null && end.closesAtPeerFin && !end.finReceived && !end.dead) {
            inputShutdown(side); // its transport closed it at the peer's FIN, as asked
        }
        if (--openChannels > 0) {
            return;
        }
        if (path == null) {
            // Both channels went away without a decision of ours (e.g. the event loop shut down).
            log.debug("both channels closed before the session decided how to end");
            record(Trigger.ERROR);
            path = TeardownPath.ABORT;
        }
        cancelTimers();
        discardPendingToUpstream();
        long now = System.nanoTime();
        meters.closed(trigger, path, now - startNanos, now - triggerNanos);
        if (route.accessLog() && AccessLog.enabled()) {
            AccessLog.write(route.config().name(), clientAddress, upstreamTarget(), relayed, discarded,
                    now - startNanos, trigger, path);
        }
        if (draining) {
            meters.drainingEnded();
        }
        if (attempt != null) {
            attempt.release();
        }
        route.ended(this);
    }

    /** Bytes relayed toward {@code direction} so far. */
    public long relayed(Direction direction) {
        return relayed[direction.ordinal()];
    }

    /** Bytes dropped toward {@code direction} so far. */
    public long discarded(Direction direction) {
        return discarded[direction.ordinal()];
    }

    private static Direction towards(Side side) {
        return side == Side.UPSTREAM ? Direction.UPSTREAM : Direction.DOWNSTREAM;
    }

    private Channel channel(Side side) {
        return side == Side.CLIENT ? client : upstream;
    }

    private SocketEnd end(Side side) {
        return side == Side.CLIENT ? clientEnd : upstreamEnd;
    }
}
