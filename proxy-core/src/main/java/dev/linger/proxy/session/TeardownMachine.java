package dev.linger.proxy.session;

import static dev.linger.proxy.session.Action.CANCEL_CONNECT;
import static dev.linger.proxy.session.Action.CLOSE_BOTH;
import static dev.linger.proxy.session.Action.COUNT;
import static dev.linger.proxy.session.Action.DISCARD;
import static dev.linger.proxy.session.Action.DROP_CONNECTION;
import static dev.linger.proxy.session.Action.HALF_CLOSE;
import static dev.linger.proxy.session.Action.PROBE;
import static dev.linger.proxy.session.Action.READ;
import static dev.linger.proxy.session.Action.RESET;
import static dev.linger.proxy.session.Action.RESET_BOTH;
import static dev.linger.proxy.session.Action.START_DRAINING;
import static dev.linger.proxy.session.Action.START_RELAY;
import static dev.linger.proxy.session.Action.STOP_DEADLINE;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;

/**
 * How one session ends: its teardown state, the events and triggers it takes, and the actions each asks
 * of the session. Plain Java, one thread (the session's event loop), no I/O: the session reports what its
 * sockets did and carries out what this answers, nothing else decides.
 *
 * <p>The first trigger is recorded once and the session is counted once, on that trigger and the path it
 * ended on. Every later trigger is handled by the route's policy for that trigger ({@link #policy}), so a
 * reset still travels on as a reset after a graceful FIN. On the graceful path a peer's FIN is forwarded as
 * a half-close; when the proxy ends a session itself, or one socket is lost, each remaining socket is
 * half-closed and read until its FIN, what it sends dropped. Every half-closed socket must drain before
 * its linger deadline, or both are reset (path {@code linger-timeout}). A session whose sockets were all
 * lost ends on path {@code abort}: nothing of it closed gracefully.
 */
final class TeardownMachine {

    /** Where a session is; {@code GET /sessions} shows it. */
    enum State {
        /** The upstream is not connected yet (nor, on PROXY-protocol routes, the header read). */
        CONNECTING,
        /** Both sockets open, bytes flowing both ways, no trigger yet. */
        RELAYING,
        /** One peer's FIN was forwarded to the other; the other direction still flows. */
        HALF_CLOSED,
        /** Both FINs forwarded: waiting for the half-closed sockets to drain. */
        DRAINING,
        /** The proxy ends the session: each socket half-closed, read and dropped until its FIN. */
        DISCARDING,
        /** The path is decided: the sockets are being closed or reset. */
        ENDING,
        /** Both sockets closed, the session counted. */
        CLOSED
    }

    /** How far the proxy has got in closing its own output on one socket. */
    private enum Output {
        OPEN,
        /** Flushing what is queued, then our FIN; the linger deadline runs. */
        CLOSING,
        FIN_SENT,
        DRAINED
    }

    /** One of the session's two sockets. */
    private static final class End {
        /** The socket belongs to the session: the client always, the upstream once connected. */
        boolean attached;
        boolean finReceived;
        Output output = Output.OPEN;
        /** Reset, failed, or (an upstream) abandoned: nothing more to do on it. */
        boolean lost;
        boolean closed;

        boolean done() {
            return lost || (finReceived && output == Output.DRAINED);
        }
    }

    private final TeardownConfig teardown;
    private final End client = new End();
    private final End upstream = new End();
    private State state = State.CONNECTING;
    private Trigger trigger;
    private TeardownPath path;
    private boolean draining;

    TeardownMachine(TeardownConfig teardown) {
        this.teardown = teardown;
        client.attached = true;
    }

    /** {@code event} happened on {@code side}'s socket. Idempotent: a repeated or late event asks nothing. */
    Actions on(Event event, Side side) {
        End end = end(side);
        boolean aConnect = event == Event.CONNECTED || event == Event.CONNECT_FAILED;
        if ((state == State.CLOSED && event != Event.CONNECTED) || (!end.attached && !aConnect)) {
            return Actions.NONE; // the end, or a socket that is not the session's (yet)
        }
        switch (event) {
            case FIN:
                if (end.finReceived) {
                    return Actions.NONE;
                }
                end.finReceived = true;
                if (state == State.ENDING) {
                    return Actions.NONE;
                }
                if (state == State.DISCARDING) {
                    return probeIfFinSent(side).and(checkDone()); // the FIN the proxy was waiting for
                }
                return forwardFin(side);
            case RESET:
                return lost(side, side == Side.CLIENT ? Trigger.CLIENT_RST : Trigger.UPSTREAM_RST);
            case FAILED:
                return lost(side, Trigger.ERROR);
            case CONNECTED:
                if (state != State.CONNECTING) {
                    return Actions.of(DROP_CONNECTION); // ended, or abandoned, while it connected
                }
                upstream.attached = true;
                state = client.finReceived ? State.HALF_CLOSED : State.RELAYING;
                Actions relay = Actions.of(START_RELAY);
                return client.finReceived ? relay.and(halfClose(Side.UPSTREAM)) : relay; // forwards the FIN that came
            case CONNECT_FAILED:
                return state == State.CONNECTING ? endUnder(Trigger.CONNECT_FAILED, null) : Actions.NONE;
            case FIN_SENT:
                if (state == State.ENDING || end.lost || end.output != Output.CLOSING) {
                    return Actions.NONE;
                }
                end.output = Output.FIN_SENT;
                return Actions.of(PROBE, side);
            case DRAINED:
                if (state == State.ENDING || end.lost || end.output != Output.FIN_SENT) {
                    return Actions.NONE;
                }
                end.output = Output.DRAINED;
                return Actions.of(STOP_DEADLINE, side).and(checkDone());
            case LINGER_DEADLINE:
                boolean undrained = end.output == Output.CLOSING || end.output == Output.FIN_SENT;
                return state != State.ENDING && !end.lost && undrained
                        ? abort(TeardownPath.LINGER_TIMEOUT) : Actions.NONE;
            case CLOSED:
                if (!end.attached || end.closed) {
                    return Actions.NONE;
                }
                boolean underUs = state != State.ENDING && !end.done(); // no FIN, reset or decision of ours
                end.closed = true;
                return (underUs ? lost(side, Trigger.ERROR) : Actions.NONE).and(countIfAllClosed());
            default:
                throw new IllegalArgumentException("event " + event);
        }
    }

    /** The proxy ends the session with {@code cause} (idle-timeout, shutdown, ...) under the route's policy for it. */
    Actions end(Trigger cause) {
        return endUnder(cause, null);
    }

    /** The proxy ends the session with {@code cause} under {@code chosen}, an operator's choice (admin calls). */
    Actions end(Trigger cause, Policy chosen) {
        return endUnder(cause, chosen);
    }

    private Actions endUnder(Trigger cause, Policy chosen) {
        if (state == State.ENDING || state == State.CLOSED) {
            return Actions.NONE;
        }
        Policy policy = policy(cause);
        return (chosen != null ? chosen : policy) == Policy.ABORT ? abort(TeardownPath.ABORT) : endGracefully();
    }

    /**
     * The one place a trigger meets the route's policy: the first trigger is recorded, and the policy for
     * this one (the route's {@code teardown.on} entry, else its {@code teardown.policy}) is answered.
     */
    private Policy policy(Trigger cause) {
        if (trigger == null) {
            trigger = cause;
        }
        return teardown.policyFor(cause);
    }

    /** A peer's FIN, outside a proxy-made end: forwarded as a half-close, or the end of the session. */
    private Actions forwardFin(Side side) {
        if (policy(side == Side.CLIENT ? Trigger.CLIENT_FIN : Trigger.UPSTREAM_FIN) == Policy.ABORT) {
            return abort(TeardownPath.ABORT); // on an abort route there is no half-close
        }
        if (state == State.RELAYING) {
            state = State.HALF_CLOSED;
        } else if (state == State.HALF_CLOSED) {
            state = State.DRAINING;
        } // while connecting, the FIN is forwarded once the upstream is there (CONNECTED)
        return startDraining().and(halfClose(side.peer())).and(probeIfFinSent(side)).and(checkDone());
    }

    /** {@code side}'s socket is gone (reset, failed, closed under us), on {@code cause}. */
    private Actions lost(Side side, Trigger cause) {
        End end = end(side);
        if (state == State.ENDING || end.lost) {
            return Actions.NONE;
        }
        if (policy(cause) == Policy.ABORT) {
            return abort(TeardownPath.ABORT);
        }
        end.lost = true;
        return Actions.of(RESET, side).and(endGracefully()); // the other side still ends with a FIN
    }

    /** Each socket still there is flushed, half-closed and read until its FIN; an upstream connect is abandoned. */
    private Actions endGracefully() {
        if (state == State.DISCARDING) {
            return checkDone();
        }
        Actions actions = startDraining().and(DISCARD);
        if (state == State.CONNECTING) {
            upstream.lost = true;
            actions = actions.and(CANCEL_CONNECT);
        }
        state = State.DISCARDING;
        for (Side side : Side.values()) {
            End end = end(side);
            if (end.attached && !end.lost && !end.finReceived) {
                actions = actions.and(READ, side);
            }
            actions = actions.and(halfClose(side));
        }
        return actions.and(checkDone());
    }

    private Actions abort(TeardownPath how) {
        Actions actions = state == State.CONNECTING ? Actions.of(RESET_BOTH).and(CANCEL_CONNECT) : Actions.of(RESET_BOTH);
        path = how;
        state = State.ENDING;
        return actions;
    }

    private Actions halfClose(Side side) {
        End end = end(side);
        if (!end.attached || end.lost || end.output != Output.OPEN) {
            return Actions.NONE;
        }
        end.output = Output.CLOSING;
        return Actions.of(HALF_CLOSE, side);
    }

    private Actions probeIfFinSent(Side side) {
        End end = end(side);
        return !end.lost && end.output == Output.FIN_SENT ? Actions.of(PROBE, side) : Actions.NONE;
    }

    private Actions startDraining() {
        if (draining) {
            return Actions.NONE;
        }
        draining = true;
        return Actions.of(START_DRAINING);
    }

    /** Both directions ended and every half-closed socket drained: the session closes. */
    private Actions checkDone() {
        if (state == State.ENDING || !client.done() || !upstream.done()) {
            return Actions.NONE;
        }
        path = client.lost && upstream.lost ? TeardownPath.ABORT : TeardownPath.GRACEFUL;
        state = State.ENDING;
        return Actions.of(CLOSE_BOTH);
    }

    private Actions countIfAllClosed() {
        if (!client.closed || (upstream.attached && !upstream.closed)) {
            return Actions.NONE;
        }
        state = State.CLOSED;
        return Actions.of(COUNT);
    }

    State state() {
        return state;
    }

    /** The trigger that began the teardown; null before it began. */
    Trigger trigger() {
        return trigger;
    }

    /** The path the session ends on; null until it is decided. */
    TeardownPath path() {
        return path;
    }

    /** Whether the path is decided: what is read from now on is dropped. */
    boolean ending() {
        return state == State.ENDING || state == State.CLOSED;
    }

    /** Whether what is read is dropped: the proxy discards until each FIN, or the path is decided. */
    boolean dropsReads() {
        return state == State.DISCARDING || ending();
    }

    /** Whether the session went through graceful teardown (the draining gauge counted it). */
    boolean wentDraining() {
        return draining;
    }

    boolean finReceived(Side side) {
        return end(side).finReceived;
    }

    /** Whether the socket toward {@code side} has sent our FIN and its draining is still to be seen. */
    boolean awaitsDrain(Side side) {
        End end = end(side);
        return !ending() && !end.lost && end.output == Output.FIN_SENT;
    }

    private End end(Side side) {
        return side == Side.CLIENT ? client : upstream;
    }
}
