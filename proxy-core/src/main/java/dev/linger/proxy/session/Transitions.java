package dev.linger.proxy.session;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Runs a session's teardown transitions one at a time: a transition asked for while the actions of another
 * are carried out (a flush that completes at once reports its FIN on the spot) waits until they are done, so
 * that the machine never answers in the middle of carrying out its last answer.
 */
abstract class Transitions {

    private boolean running;
    private ArrayDeque<Supplier<Actions>> waiting;

    /** Carries out one answer of the machine (a subclass rather than a callback: one object fewer per session). */
    abstract void perform(Actions actions);

    /** Runs {@code transition} now, or after the one being carried out. */
    void run(Supplier<Actions> transition) {
        if (running) {
            if (waiting == null) {
                waiting = new ArrayDeque<>(2);
            }
            waiting.add(transition);
            return;
        }
        running = true;
        try {
            perform(transition.get());
            Supplier<Actions> next;
            while (waiting != null && (next = waiting.poll()) != null) {
                perform(next.get());
            }
        } finally {
            running = false;
        }
    }
}
