package dev.linger.proxy.session;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a session's teardown transitions one at a time: a transition asked for while the actions of another
 * are carried out (a flush that completes at once reports its FIN on the spot) waits until they are done, so
 * that the machine never answers in the middle of carrying out its last answer.
 */
final class Transitions {

    private final Consumer<Actions> perform;
    private final Runnable afterwards;
    private boolean running;
    private ArrayDeque<Supplier<Actions>> waiting;

    /** {@code perform} carries out each answer; {@code afterwards} runs once nothing waits any more. */
    Transitions(Consumer<Actions> perform, Runnable afterwards) {
        this.perform = perform;
        this.afterwards = afterwards;
    }

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
            perform.accept(transition.get());
            Supplier<Actions> next;
            while (waiting != null && (next = waiting.poll()) != null) {
                perform.accept(next.get());
            }
        } finally {
            running = false;
        }
        afterwards.run();
    }
}
