package dev.linger.proxy.session;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.config.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TeardownMachine} with well-behaved sockets and peers around it, for its tests: it remembers what
 * the machine asked for, and {@link #finish} plays the rest of a session as the wire would (our FINs go out
 * and are acknowledged, a peer answers our FIN with its own, sockets that were reset or closed report so)
 * until the session is counted.
 */
final class TeardownWorld {

    final TeardownMachine machine;
    /** Every action set answered, in order. */
    final List<Actions> answers = new ArrayList<>();
    private final Set<Side> halfClosing = EnumSet.noneOf(Side.class);
    private final Set<Side> probing = EnumSet.noneOf(Side.class);
    private final Set<Side> finsSent = EnumSet.noneOf(Side.class);
    private final Set<Side> peerFins = EnumSet.noneOf(Side.class);
    private final Set<Side> lost = EnumSet.noneOf(Side.class);
    private final Set<Side> closed = EnumSet.noneOf(Side.class);
    private boolean upstreamAttached;
    private boolean closing;
    private int counts;

    TeardownWorld(Policy policy, Map<Trigger, Policy> overrides) {
        machine = new TeardownMachine(new TeardownConfig(policy, Duration.ofSeconds(5), overrides));
    }

    Actions on(Event event, Side side) {
        if (event == Event.FIN) {
            peerFins.add(side);
        }
        return note(machine.on(event, side));
    }

    Actions end(Trigger trigger) {
        return note(machine.end(trigger));
    }

    Actions end(Trigger trigger, Policy chosen) {
        return note(machine.end(trigger, chosen));
    }

    /** How many times the machine asked for the session to be counted. */
    int counts() {
        return counts;
    }

    private Actions note(Actions actions) {
        answers.add(actions);
        for (Side side : Side.values()) {
            if (actions.has(Action.HALF_CLOSE, side)) {
                halfClosing.add(side);
            }
            if (actions.has(Action.PROBE, side)) {
                probing.add(side);
            }
            if (actions.has(Action.RESET, side)) {
                lost.add(side);
            }
        }
        upstreamAttached |= actions.has(Action.START_RELAY);
        closing |= actions.has(Action.RESET_BOTH) || actions.has(Action.CLOSE_BOTH);
        if (actions.has(Action.COUNT)) {
            counts++;
        }
        return actions;
    }

    /** Plays the session to its end, as cooperative peers would; fails if it does not get there. */
    TeardownWorld finish() {
        for (int step = 0; step < 50 && machine.state() != TeardownMachine.State.CLOSED; step++) {
            next();
        }
        if (machine.state() != TeardownMachine.State.CLOSED) {
            throw new AssertionError("the session did not end: " + machine.state() + " after " + answers);
        }
        return this;
    }

    private void next() {
        for (Side side : Side.values()) {
            if (closing || lost.contains(side)) {
                if (!closed.contains(side) && (side == Side.CLIENT || upstreamAttached)) {
                    closed.add(side);
                    on(Event.CLOSED, side);
                    return;
                }
            }
        }
        if (closing) {
            return;
        }
        if (machine.state() == TeardownMachine.State.CONNECTING) {
            on(Event.CONNECTED, Side.UPSTREAM);
            return;
        }
        for (Side side : Side.values()) {
            if (halfClosing.remove(side)) {
                finsSent.add(side);
                on(Event.FIN_SENT, side);
                return;
            }
            if (probing.remove(side)) {
                on(Event.DRAINED, side); // the peer acknowledged everything
                return;
            }
        }
        for (Side side : Side.values()) {
            if (finsSent.contains(side) && !peerFins.contains(side) && !lost.contains(side)) {
                on(Event.FIN, side); // the peer answers our FIN with its own
                return;
            }
        }
        throw new AssertionError("nothing more would happen in " + machine.state() + " after " + answers);
    }
}
