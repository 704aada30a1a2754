package dev.linger.proxy.session;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.ProxyProtocolVersion;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.upstream.Upstream;
import dev.linger.proxy.upstream.UpstreamAttempt;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and its upstream connection: the wiring between the pieces that make a session.
 * The {@link TeardownMachine} decides how it ends; the {@link Relay} moves its bytes; {@link HeaderIntake}
 * reads a PROXY header; {@link SessionRecord} counts it; {@link SessionSocket} is what it does to a socket.
 *
 * <p>Both sockets live on the client's event loop, so every method here runs on that one thread and needs
 * no locks; calls from elsewhere ({@link #end}) hop onto it first. What the sockets report goes to the
 * machine, and what the machine answers is carried out here, one transition at a time: an event raised
 * while carrying out a transition (a flush that completes at once, say) waits until it is done.
 */
public final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

    private final EventLoop loop;
    private final SessionRoute route;
    private final RouteConfig config;
    private final TeardownMachine teardown;
    private final SessionRecord record;
    private final SessionSocket client;
    private final Relay relay;
    // Only where they are used, so that an idle session holds no more than it needs (what it holds is a
    // figure operators compare): the PROXY header's state on PROXY-protocol routes, the drain watch from
    // the first half-close on.
    private HeaderIntake header;
    private DrainWatch drains;
    private final SocketLayer layer;
    private SessionSocket upstream;
    /** The connection the upstream attempt completed, until the machine takes or drops it. */
    private SessionSocket connected;
    // volatile: admin calls read the upstream of live sessions from their own thread
    private volatile UpstreamAttempt<SessionSocket> attempt;
    private Timeouts timeouts;
    private final Transitions transitions = new Transitions() {
        @Override
        void perform(Actions actions) {
            Session.this.perform(actions);
        }

    };

    /**
     * @param loop   the client's event loop, where everything of the session runs
     * @param route  the route the client connected to
     * @param client the accepted client socket, read from the start: it is read while its upstream connects
     * @param header on routes that speak PROXY protocol, the client's header intake; else null
     * @param layer  makes the upstream sockets, of the client socket's kind
     */
    Session(EventLoop loop, SessionRoute route, SessionSocket client, HeaderIntake header, SocketLayer layer) {
        this.loop = loop;
        this.route = route;
        this.config = route.config();
        this.teardown = new TeardownMachine(config.teardown());
        this.record = new SessionRecord(route.meters(), config.name(), route.accessLog());
        this.client = client;
        this.header = header;
        this.layer = layer;
        this.relay = new Relay(loop, this.client, teardown, record);
    }

    /** Whether sessions of {@code config} read or write a PROXY header (and so need a {@link HeaderIntake}). */
    static boolean speaksProxyProtocol(RouteConfig config) {
        return config.proxyProtocol().accept() || config.proxyProtocol().send() != ProxyProtocolVersion.OFF;
    }

    /**
     * Admits the session (or refuses it with trigger {@code rejected}) and starts connecting its
     * upstream. Call on the client's event loop once the client's relay handler is in place.
     */
    void start() {
        client.remoteAddress(); // looked up now, while the socket is open, and kept
        if (!route.admit(this)) {
            end(Trigger.REJECTED);
            return;
        }
        timeouts = new Timeouts(loop, config, client, this::end);
        if (config.proxyProtocol().accept()) {
            header.await(config.proxyProtocol(), config.connectTimeout(), () -> end(Trigger.ERROR));
        } else {
            connectUpstream();
        }
    }

    private void connectUpstream() {
        attempt = route.connect(loop, layer.dialer(this, route));
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

    /** The path the session ended on, or null until it is decided. */
    TeardownPath path() {
        return teardown.path();
    }

    /** Ends the session from outside (shutdown, admin) with {@code cause} under {@code policy}. Any thread. */
    public void end(Trigger cause, Policy policy) {
        onLoop(() -> transitions.run(() -> teardown.end(cause, policy)));
    }

    /** Ends the session from outside under the route's policy for {@code cause}. Any thread. */
    public void end(Trigger cause) {
        onLoop(() -> transitions.run(() -> teardown.end(cause)));
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    void read(Side from, ByteBuf bytes) {
        relay.read(from, bytes);
    }

    /** Whether the client's PROXY header is still awaited and the session has decided nothing yet. */
    boolean awaitingProxyHeader() {
        return header != null && header.awaiting() && teardown.state() == TeardownMachine.State.CONNECTING;
    }

    void proxyHeader(HAProxyMessage message) {
        if (awaitingProxyHeader()) {
            header.arrived(message);
            connectUpstream();
        }
    }

    void readComplete(Side from) {
        if (timeouts != null) {
            timeouts.activity();
        }
        if (teardown.finReceived(from)) {
            socket(from).resumeStalledWrites();
        } else if (teardown.awaitsDrain(from)) {
            drains().probe(from); // the peer spoke after our FIN: it may have acknowledged it
        }
        relay.batchComplete(from);
    }

    void writabilityChanged(Side side) {
        relay.writabilityChanged(side);
    }

    void inputShutdown(Side side) {
        on(Event.FIN, side);
    }

    void failed(Side side, Throwable cause) {
        if (cause instanceof DecoderException && header != null) {
            log.debug("{} sent a malformed PROXY header", side, cause);
            header.malformed(); // the socket itself is fine: it ends like any proxy-made end
            end(Trigger.ERROR);
        } else if (Resets.isReset(cause)) {
            log.debug("{} reset: {}", side, cause.toString());
            on(Event.RESET, side);
        } else {
            log.debug("{} failed", side, cause);
            on(Event.FAILED, side);
        }
    }

    private void connected(Future<SessionSocket> future) {
        if (future.isSuccess()) {
            connected = future.getNow();
            on(Event.CONNECTED, Side.UPSTREAM);
        } else {
            log.debug("upstream {} connect failed: {}", attempt.upstream(), future.cause().toString());
            on(Event.CONNECT_FAILED, Side.UPSTREAM);
        }
    }

    /** {@code connection}, one of {@code side}'s, closed; only the session's own socket counts. */
    void closed(Side side, Object connection) {
        SessionSocket socket = socket(side);
        if (socket == null || !socket.isConnection(connection)) {
            return; // a connection the session dropped, or never took
        }
        if (socket.closesAtPeerFin()) {
            on(Event.FIN, side); // its transport closed it at the peer's FIN, as asked
        }
        on(Event.CLOSED, side);
    }

    private void on(Event event, Side side) {
        transitions.run(() -> teardown.on(event, side));
    }

    private DrainWatch drains() {
        if (drains == null) {
            drains = new DrainWatch(loop, config.teardown().lingerTimeout().toNanos(), teardown, this::socket, this::on);
        }
        return drains;
    }

    /** Carries out one transition's answer: the upstream taken or dropped first, then each side's, then the rest. */
    private void perform(Actions actions) {
        if (teardown.trigger() != null) {
            record.teardownBegan();
        }
        if (actions.has(Action.START_RELAY)) {
            startRelay();
        } else if (actions.has(Action.DROP_CONNECTION)) {
            if (connected != null) {
                connected.reset();
                connected = null;
            }
        }
        for (Side side : Side.values()) {
            if (actions.has(Action.RESET, side)) {
                relay.drop(side);
                if (drains != null) {
                    drains.stop(side);
                }
            }
            if (actions.has(Action.READ, side)) {
                socket(side).read(true);
            }
            if (actions.has(Action.HALF_CLOSE, side)) {
                halfClose(side);
            }
            if (actions.has(Action.STOP_DEADLINE, side)) {
                drains().stop(side);
                if (!teardown.finReceived(side)) {
                    socket(side).closeAtPeerFin(); // only its FIN is left to wait for
                }
            }
            if (actions.has(Action.PROBE, side)) {
                drains().probe(side);
            }
        }
        if (actions.has(Action.START_DRAINING)) {
            record.drainingStarted();
        }
        if (actions.has(Action.CANCEL_CONNECT) && attempt != null) {
            attempt.cancel();
        }
        if (actions.has(Action.DISCARD)) {
            relay.dropHeld();
        }
        if (actions.has(Action.RESET_BOTH)) {
            log.debug("reset both sockets: trigger {}, path {}", teardown.trigger(), teardown.path());
            stopTimers();
            relay.abort();
        }
        if (actions.has(Action.CLOSE_BOTH)) {
            stopTimers();
            client.close();
            if (upstream != null) {
                upstream.close();
            }
        }
        if (actions.has(Action.COUNT)) {
            ended();
        }
    }

    private void startRelay() {
        upstream = connected;
        connected = null;
        timeouts.watchUpstream(upstream);
        ProxyProtocolVersion send = config.proxyProtocol().send();
        relay.connected(upstream, send == ProxyProtocolVersion.OFF ? null : header.toSend(send));
    }

    private void halfClose(Side side) {
        drains().arm(side);
        socket(side).halfClose(relay.takeUnflushed(side), () -> on(Event.FIN_SENT, side),
                cause -> failed(side, cause));
    }

    private void stopTimers() {
        if (drains != null) {
            drains.cancelAll();
        }
        if (header != null) {
            header.stop();
        }
        if (timeouts != null) {
            timeouts.cancel();
        }
    }

    private void ended() {
        stopTimers();
        relay.dropHeld();
        record.ended(teardown.trigger(), teardown.path(),
                header != null ? header.client() : client.remoteAddress(), upstreamTarget());
        if (attempt != null) {
            attempt.release();
        }
        route.ended(this);
    }

    private SessionSocket socket(Side side) {
        return side == Side.CLIENT ? client : upstream;
    }
}
