package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionsTest {

    private final List<String> log = new ArrayList<>();
    private Transitions transitions;

    @Test
    void aTransitionAskedForWhileAnotherIsCarriedOutWaitsUntilItIsDone() {
        transitions = new Transitions() {
            @Override
            void perform(Actions actions) {
                log.add("start " + actions);
                if (actions.has(Action.HALF_CLOSE, Side.CLIENT)) {
                    // Carrying it out completes a flush at once, which reports the FIN as sent.
                    transitions.run(() -> {
                        log.add("machine asked");
                        return Actions.of(Action.PROBE, Side.CLIENT);
                    });
                }
                log.add("done " + actions);
            }
        };

        transitions.run(() -> Actions.of(Action.HALF_CLOSE, Side.CLIENT));

        assertThat(log).containsExactly("start [HALF_CLOSE(CLIENT)]", "done [HALF_CLOSE(CLIENT)]", "machine asked",
                "start [PROBE(CLIENT)]", "done [PROBE(CLIENT)]");
    }

    @Test
    void aTransitionOnItsOwnRunsAtOnce() {
        transitions = new Transitions() {
            @Override
            void perform(Actions actions) {
                log.add("performed " + actions);
            }
        };

        transitions.run(() -> Actions.of(Action.RESET_BOTH));

        assertThat(log).containsExactly("performed [RESET_BOTH]");
    }
}
