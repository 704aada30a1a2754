package dev.linger.proxy.session;

import java.util.StringJoiner;

/**
 * The actions one {@link TeardownMachine} transition asks for: an immutable set, a bit per action (per
 * action and side for the per-side ones). The session carries them out in {@link Action}'s order.
 */
final class Actions {

    static final Actions NONE = new Actions(0);

    private final int bits;

    private Actions(int bits) {
        this.bits = bits;
    }

    static Actions of(Action action) {
        return NONE.and(action);
    }

    static Actions of(Action action, Side side) {
        return NONE.and(action, side);
    }

    Actions and(Action action) {
        if (action.perSide()) {
            throw new IllegalArgumentException(action + " (expected: with the side it applies to)");
        }
        return new Actions(bits | bit(action, Side.CLIENT));
    }

    Actions and(Action action, Side side) {
        if (!action.perSide()) {
            throw new IllegalArgumentException(action + " (expected: an action for one side)");
        }
        return new Actions(bits | bit(action, side));
    }

    Actions and(Actions more) {
        return more.bits == 0 ? this : new Actions(bits | more.bits);
    }

    boolean has(Action action) {
        return (bits & bit(action, Side.CLIENT)) != 0;
    }

    boolean has(Action action, Side side) {
        return (bits & bit(action, side)) != 0;
    }

    boolean isEmpty() {
        return bits == 0;
    }

    private static int bit(Action action, Side side) {
        return 1 << (action.ordinal() * 2 + (action.perSide() ? side.ordinal() : 0));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Actions actions && actions.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    /** E.g. {@code [HALF_CLOSE(UPSTREAM), START_DRAINING]}. */
    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(", ", "[", "]");
        for (Action action : Action.values()) {
            if (!action.perSide()) {
                if (has(action)) {
                    text.add(action.name());
                }
                continue;
            }
            for (Side side : Side.values()) {
                if (has(action, side)) {
                    text.add(action.name() + "(" + side + ")");
                }
            }
        }
        return text.toString();
    }
}
