package dev.linger.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TeardownPath;
import dev.linger.proxy.config.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The teardown table, exhaustively: every trigger under either policy in every state, the late events, and
 * the (trigger, path) each session is counted on once {@link TeardownWorld} has played it to its end. No
 * sockets, no clock.
 */
class TeardownMachineTest {

    /** Everything that can begin or touch a teardown, as the session reports it. */
    enum Stimulus {
        CLIENT_FIN(Trigger.CLIENT_FIN),
        UPSTREAM_FIN(Trigger.UPSTREAM_FIN),
        CLIENT_RST(Trigger.CLIENT_RST),
        UPSTREAM_RST(Trigger.UPSTREAM_RST),
        CLIENT_FAILED(Trigger.ERROR),
        UPSTREAM_FAILED(Trigger.ERROR),
        CLIENT_CLOSED(Trigger.ERROR),
        UPSTREAM_CLOSED(Trigger.ERROR),
        CONNECT_FAILED(Trigger.CONNECT_FAILED),
        IDLE_TIMEOUT(Trigger.IDLE_TIMEOUT),
        MAX_DURATION(Trigger.MAX_DURATION),
        REJECTED(Trigger.REJECTED),
        SHUTDOWN(Trigger.SHUTDOWN),
        ADMIN(Trigger.ADMIN),
        ERROR(Trigger.ERROR);

        final Trigger trigger;

        Stimulus(Trigger trigger) {
            this.trigger = trigger;
        }

        Actions apply(TeardownWorld world) {
            return switch (this) {
                case CLIENT_FIN -> world.on(Event.FIN, Side.CLIENT);
                case UPSTREAM_FIN -> world.on(Event.FIN, Side.UPSTREAM);
                case CLIENT_RST -> world.on(Event.RESET, Side.CLIENT);
                case UPSTREAM_RST -> world.on(Event.RESET, Side.UPSTREAM);
                case CLIENT_FAILED -> world.on(Event.FAILED, Side.CLIENT);
                case UPSTREAM_FAILED -> world.on(Event.FAILED, Side.UPSTREAM);
                case CLIENT_CLOSED -> world.on(Event.CLOSED, Side.CLIENT);
                case UPSTREAM_CLOSED -> world.on(Event.CLOSED, Side.UPSTREAM);
                case CONNECT_FAILED -> world.on(Event.CONNECT_FAILED, Side.UPSTREAM);
                default -> world.end(trigger);
            };
        }

        /** Whether the stimulus concerns the upstream socket, which is not the session's while it connects. */
        boolean upstreamSocket() {
            return this == UPSTREAM_FIN || this == UPSTREAM_RST || this == UPSTREAM_FAILED || this == UPSTREAM_CLOSED;
        }
    }

    /** The states a live session can be in, and how a session gets there. */
    enum Start {
        CONNECTING,
        RELAYING,
        /** The client's FIN was forwarded; our FIN toward the upstream is out, not yet acknowledged. */
        HALF_CLOSED,
        /** Both FINs forwarded, neither acknowledged yet. */
        DRAINING,
        /** The proxy ends the session (trigger shutdown, or admin when shutdown is the trigger under test). */
        DISCARDING;

        TeardownWorld reach(TeardownWorld world, Stimulus underTest) {
            if (this != CONNECTING) {
                world.on(Event.CONNECTED, Side.UPSTREAM);
            }
            if (this == HALF_CLOSED || this == DRAINING) {
                world.on(Event.FIN, Side.CLIENT);
                world.on(Event.FIN_SENT, Side.UPSTREAM);
            }
            if (this == DRAINING) {
                world.on(Event.FIN, Side.UPSTREAM);
                world.on(Event.FIN_SENT, Side.CLIENT);
            }
            if (this == DISCARDING) {
                world.end(setupEnd(underTest));
                world.on(Event.FIN_SENT, Side.CLIENT);
                world.on(Event.FIN_SENT, Side.UPSTREAM);
            }
            assertThat(world.machine.state()).isEqualTo(TeardownMachine.State.valueOf(name()));
            return world;
        }

        /** The trigger recorded first, once the session is in this state; null before any. */
        Trigger firstTrigger(Stimulus underTest) {
            return switch (this) {
                case CONNECTING, RELAYING -> underTest.trigger;
                case HALF_CLOSED, DRAINING -> Trigger.CLIENT_FIN;
                case DISCARDING -> setupEnd(underTest);
            };
        }

        private static Trigger setupEnd(Stimulus underTest) {
            return underTest == Stimulus.SHUTDOWN ? Trigger.ADMIN : Trigger.SHUTDOWN;
        }

        /** Whether reaching the state takes {@code underTest} itself gracefully (a FIN already forwarded). */
        boolean takes(Stimulus underTest) {
            return (underTest == Stimulus.CLIENT_FIN && (this == HALF_CLOSED || this == DRAINING))
                    || (underTest == Stimulus.UPSTREAM_FIN && this == DRAINING);
        }
    }

    // ---- graceful: the table, row by row ----------------------------------------------------------

    /**
     * The table, every route policy graceful: the state, the trigger, what the machine asks at once, and what
     * the session is counted on once played to its end ("-": nothing began a teardown, nothing is counted).
     */
    static final String GRACEFUL_TABLE = """
            CONNECTING  | CLIENT_FIN      | [START_DRAINING]                                                                              | client-fin graceful
            CONNECTING  | UPSTREAM_FIN    | []                                                                                            | -
            CONNECTING  | CLIENT_RST      | [RESET(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD, CLOSE_BOTH]                          | client-rst abort
            CONNECTING  | UPSTREAM_RST    | []                                                                                            | -
            CONNECTING  | CLIENT_FAILED   | [RESET(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD, CLOSE_BOTH]                          | error abort
            CONNECTING  | UPSTREAM_FAILED | []                                                                                            | -
            CONNECTING  | CLIENT_CLOSED   | [RESET(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD, CLOSE_BOTH, COUNT]                   | error abort
            CONNECTING  | UPSTREAM_CLOSED | []                                                                                            | -
            CONNECTING  | CONNECT_FAILED  | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | connect-failed graceful
            CONNECTING  | IDLE_TIMEOUT    | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | idle-timeout graceful
            CONNECTING  | MAX_DURATION    | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | max-duration graceful
            CONNECTING  | REJECTED        | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | rejected graceful
            CONNECTING  | SHUTDOWN        | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | shutdown graceful
            CONNECTING  | ADMIN           | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | admin graceful
            CONNECTING  | ERROR           | [HALF_CLOSE(CLIENT), READ(CLIENT), CANCEL_CONNECT, START_DRAINING, DISCARD]                   | error graceful
            RELAYING    | CLIENT_FIN      | [HALF_CLOSE(UPSTREAM), START_DRAINING]                                                        | client-fin graceful
            RELAYING    | UPSTREAM_FIN    | [HALF_CLOSE(CLIENT), START_DRAINING]                                                          | upstream-fin graceful
            RELAYING    | CLIENT_RST      | [HALF_CLOSE(UPSTREAM), READ(UPSTREAM), RESET(CLIENT), START_DRAINING, DISCARD]                | client-rst graceful
            RELAYING    | UPSTREAM_RST    | [HALF_CLOSE(CLIENT), READ(CLIENT), RESET(UPSTREAM), START_DRAINING, DISCARD]                  | upstream-rst graceful
            RELAYING    | CLIENT_FAILED   | [HALF_CLOSE(UPSTREAM), READ(UPSTREAM), RESET(CLIENT), START_DRAINING, DISCARD]                | error graceful
            RELAYING    | UPSTREAM_FAILED | [HALF_CLOSE(CLIENT), READ(CLIENT), RESET(UPSTREAM), START_DRAINING, DISCARD]                  | error graceful
            RELAYING    | CLIENT_CLOSED   | [HALF_CLOSE(UPSTREAM), READ(UPSTREAM), RESET(CLIENT), START_DRAINING, DISCARD]                | error graceful
            RELAYING    | UPSTREAM_CLOSED | [HALF_CLOSE(CLIENT), READ(CLIENT), RESET(UPSTREAM), START_DRAINING, DISCARD]                  | error graceful
            RELAYING    | CONNECT_FAILED  | []                                                                                            | -
            RELAYING    | IDLE_TIMEOUT    | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | idle-timeout graceful
            RELAYING    | MAX_DURATION    | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | max-duration graceful
            RELAYING    | REJECTED        | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | rejected graceful
            RELAYING    | SHUTDOWN        | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | shutdown graceful
            RELAYING    | ADMIN           | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | admin graceful
            RELAYING    | ERROR           | [HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD] | error graceful
            HALF_CLOSED | CLIENT_FIN      | []                                                                                            | client-fin graceful
            HALF_CLOSED | UPSTREAM_FIN    | [HALF_CLOSE(CLIENT), PROBE(UPSTREAM)]                                                         | client-fin graceful
            HALF_CLOSED | CLIENT_RST      | [READ(UPSTREAM), RESET(CLIENT), DISCARD]                                                      | client-fin graceful
            HALF_CLOSED | UPSTREAM_RST    | [HALF_CLOSE(CLIENT), RESET(UPSTREAM), DISCARD]                                                | client-fin graceful
            HALF_CLOSED | CLIENT_FAILED   | [READ(UPSTREAM), RESET(CLIENT), DISCARD]                                                      | client-fin graceful
            HALF_CLOSED | UPSTREAM_FAILED | [HALF_CLOSE(CLIENT), RESET(UPSTREAM), DISCARD]                                                | client-fin graceful
            HALF_CLOSED | CLIENT_CLOSED   | [READ(UPSTREAM), RESET(CLIENT), DISCARD]                                                      | client-fin graceful
            HALF_CLOSED | UPSTREAM_CLOSED | [HALF_CLOSE(CLIENT), RESET(UPSTREAM), DISCARD]                                                | client-fin graceful
            HALF_CLOSED | CONNECT_FAILED  | []                                                                                            | client-fin graceful
            HALF_CLOSED | IDLE_TIMEOUT    | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            HALF_CLOSED | MAX_DURATION    | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            HALF_CLOSED | REJECTED        | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            HALF_CLOSED | SHUTDOWN        | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            HALF_CLOSED | ADMIN           | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            HALF_CLOSED | ERROR           | [HALF_CLOSE(CLIENT), READ(UPSTREAM), DISCARD]                                                 | client-fin graceful
            DRAINING    | CLIENT_FIN      | []                                                                                            | client-fin graceful
            DRAINING    | UPSTREAM_FIN    | []                                                                                            | client-fin graceful
            DRAINING    | CLIENT_RST      | [RESET(CLIENT), DISCARD]                                                                      | client-fin graceful
            DRAINING    | UPSTREAM_RST    | [RESET(UPSTREAM), DISCARD]                                                                    | client-fin graceful
            DRAINING    | CLIENT_FAILED   | [RESET(CLIENT), DISCARD]                                                                      | client-fin graceful
            DRAINING    | UPSTREAM_FAILED | [RESET(UPSTREAM), DISCARD]                                                                    | client-fin graceful
            DRAINING    | CLIENT_CLOSED   | [RESET(CLIENT), DISCARD]                                                                      | client-fin graceful
            DRAINING    | UPSTREAM_CLOSED | [RESET(UPSTREAM), DISCARD]                                                                    | client-fin graceful
            DRAINING    | CONNECT_FAILED  | []                                                                                            | client-fin graceful
            DRAINING    | IDLE_TIMEOUT    | [DISCARD]                                                                                     | client-fin graceful
            DRAINING    | MAX_DURATION    | [DISCARD]                                                                                     | client-fin graceful
            DRAINING    | REJECTED        | [DISCARD]                                                                                     | client-fin graceful
            DRAINING    | SHUTDOWN        | [DISCARD]                                                                                     | client-fin graceful
            DRAINING    | ADMIN           | [DISCARD]                                                                                     | client-fin graceful
            DRAINING    | ERROR           | [DISCARD]                                                                                     | client-fin graceful
            DISCARDING  | CLIENT_FIN      | [PROBE(CLIENT)]                                                                               | shutdown graceful
            DISCARDING  | UPSTREAM_FIN    | [PROBE(UPSTREAM)]                                                                             | shutdown graceful
            DISCARDING  | CLIENT_RST      | [RESET(CLIENT)]                                                                               | shutdown graceful
            DISCARDING  | UPSTREAM_RST    | [RESET(UPSTREAM)]                                                                             | shutdown graceful
            DISCARDING  | CLIENT_FAILED   | [RESET(CLIENT)]                                                                               | shutdown graceful
            DISCARDING  | UPSTREAM_FAILED | [RESET(UPSTREAM)]                                                                             | shutdown graceful
            DISCARDING  | CLIENT_CLOSED   | [RESET(CLIENT)]                                                                               | shutdown graceful
            DISCARDING  | UPSTREAM_CLOSED | [RESET(UPSTREAM)]                                                                             | shutdown graceful
            DISCARDING  | CONNECT_FAILED  | []                                                                                            | shutdown graceful
            DISCARDING  | IDLE_TIMEOUT    | []                                                                                            | shutdown graceful
            DISCARDING  | MAX_DURATION    | []                                                                                            | shutdown graceful
            DISCARDING  | REJECTED        | []                                                                                            | shutdown graceful
            DISCARDING  | SHUTDOWN        | []                                                                                            | admin graceful
            DISCARDING  | ADMIN           | []                                                                                            | shutdown graceful
            DISCARDING  | ERROR           | []                                                                                            | shutdown graceful
            """;

    @ParameterizedTest(name = "{0} + {1} -> {2}, counted {3}")
    @CsvSource(delimiter = '|', textBlock = GRACEFUL_TABLE)
    void gracefulTable(Start start, Stimulus stimulus, String actions, String counted) {
        TeardownWorld world = start.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), stimulus);

        assertThat(stimulus.apply(world)).hasToString(actions);

        if (counted.equals("-")) {
            assertThat(world.machine.trigger()).isNull();
            assertThat(world.machine.state()).isEqualTo(TeardownMachine.State.valueOf(start.name()));
            return;
        }
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo(counted);
        assertThat(world.counts()).isEqualTo(1);
    }

    @Test
    void theGracefulTableHasARowForEveryLiveStateAndStimulus() {
        List<String> rows = GRACEFUL_TABLE.lines().map(row -> row.split("\\|"))
                .map(row -> row[0].trim() + " " + row[1].trim()).toList();
        List<String> expected = new ArrayList<>();
        for (Start start : Start.values()) {
            for (Stimulus stimulus : Stimulus.values()) {
                expected.add(start + " " + stimulus);
            }
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }

    // ---- abort: one rule for every state and trigger ----------------------------------------------

    static Stream<Arguments> everyLiveStateAndStimulus() {
        List<Arguments> all = new ArrayList<>();
        for (Start start : Start.values()) {
            for (Stimulus stimulus : Stimulus.values()) {
                if (!start.takes(stimulus)) {
                    all.add(Arguments.of(start, stimulus));
                }
            }
        }
        return all.stream();
    }

    /**
     * The trigger's policy abort, every other graceful: both sockets are reset at once, and the session is
     * counted on its first trigger and path abort. Not a trigger, whatever its policy: an event on an upstream
     * that is still connecting, a connect failure once connected, and a peer's FIN the proxy waits for while
     * it discards (it asked for that FIN).
     */
    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyLiveStateAndStimulus")
    void anAbortPolicyResetsBothAtOnceInEveryLiveState(Start start, Stimulus stimulus) {
        TeardownWorld world = start.reach(new TeardownWorld(Policy.GRACEFUL, Map.of(stimulus.trigger, Policy.ABORT)),
                stimulus);

        Actions actions = stimulus.apply(world);

        boolean notATrigger = (start == Start.CONNECTING && stimulus.upstreamSocket())
                || (start != Start.CONNECTING && stimulus == Stimulus.CONNECT_FAILED)
                || (start == Start.DISCARDING && (stimulus == Stimulus.CLIENT_FIN || stimulus == Stimulus.UPSTREAM_FIN));
        if (notATrigger) {
            assertThat(actions.has(Action.RESET_BOTH)).isFalse();
            return;
        }
        Actions reset = Actions.of(Action.RESET_BOTH);
        if (start == Start.CONNECTING) {
            reset = reset.and(Action.CANCEL_CONNECT);
        }
        boolean closedAlready = stimulus == Stimulus.CLIENT_CLOSED && start == Start.CONNECTING;
        assertThat(actions).isEqualTo(closedAlready ? reset.and(Action.COUNT) : reset);
        assertThat(world.machine.path()).isEqualTo(TeardownPath.ABORT);
        world.finish();
        assertThat(world.machine.trigger()).isEqualTo(start.firstTrigger(stimulus));
        assertThat(world.machine.path()).isEqualTo(TeardownPath.ABORT);
        assertThat(world.counts()).isEqualTo(1);
    }

    // ---- late events: once the path is decided, nothing changes it ---------------------------------

    static Stream<Arguments> everyStimulusUnderEitherPolicy() {
        return Stream.of(Stimulus.values()).flatMap(stimulus -> Stream.of(Policy.values())
                .map(policy -> Arguments.of(stimulus, policy)));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyStimulusUnderEitherPolicy")
    void afterTheResetNothingButTheClosesCounts(Stimulus stimulus, Policy policy) {
        TeardownWorld world = Start.RELAYING.reach(new TeardownWorld(policy, Map.of()), stimulus);
        world.end(Trigger.ADMIN, Policy.ABORT);

        Actions late = stimulus.apply(world);

        assertThat(late).isEqualTo(Actions.NONE);
        assertThat(world.machine.state()).isEqualTo(TeardownMachine.State.ENDING);
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("admin abort");
        assertThat(world.counts()).isEqualTo(1);
        assertThat(stimulus.apply(world)).isEqualTo(Actions.NONE);
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("everyStimulusUnderEitherPolicy")
    void onceCountedEveryEventIsIgnored(Stimulus stimulus, Policy policy) {
        TeardownWorld world = Start.RELAYING.reach(new TeardownWorld(policy, Map.of()), stimulus);
        world.end(Trigger.IDLE_TIMEOUT);
        world.finish();

        assertThat(stimulus.apply(world)).isEqualTo(Actions.NONE);
        for (Event event : Event.values()) {
            for (Side side : Side.values()) {
                // A connection that completes now is not the session's: it is reset, whatever else happened.
                Actions expected = event == Event.CONNECTED ? Actions.of(Action.DROP_CONNECTION) : Actions.NONE;
                assertThat(world.on(event, side)).as(event + " " + side).isEqualTo(expected);
            }
        }
        assertThat(world.counts()).isEqualTo(1);
        assertThat(world.machine.trigger()).isEqualTo(Trigger.IDLE_TIMEOUT);
    }

    @Test
    void aConnectThatCompletesAfterAnAbortIsDropped() {
        TeardownWorld world = new TeardownWorld(Policy.GRACEFUL, Map.of());
        assertThat(world.end(Trigger.ADMIN, Policy.ABORT)).hasToString("[CANCEL_CONNECT, RESET_BOTH]");

        assertThat(world.on(Event.CONNECTED, Side.UPSTREAM)).hasToString("[DROP_CONNECTION]");
        assertThat(world.on(Event.CLOSED, Side.CLIENT)).hasToString("[COUNT]"); // the upstream never was the session's
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("admin abort");
    }

    @Test
    void aConnectThatCompletesAfterAGracefulEndIsDroppedAndItsFailureIgnored() {
        TeardownWorld world = new TeardownWorld(Policy.GRACEFUL, Map.of(Trigger.CONNECT_FAILED, Policy.ABORT));
        world.end(Trigger.SHUTDOWN);

        assertThat(world.on(Event.CONNECTED, Side.UPSTREAM)).hasToString("[DROP_CONNECTION]");
        assertThat(world.on(Event.CONNECT_FAILED, Side.UPSTREAM)).isEqualTo(Actions.NONE);
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("shutdown graceful");
    }

    @Test
    void aResetDuringAGracefulDrainAbortsAndKeepsTheFirstTrigger() {
        // The contract's default: client-rst and upstream-rst abort, whatever the route's policy.
        TeardownWorld world = Start.HALF_CLOSED.reach(new TeardownWorld(Policy.GRACEFUL,
                Map.of(Trigger.CLIENT_RST, Policy.ABORT, Trigger.UPSTREAM_RST, Policy.ABORT)), Stimulus.UPSTREAM_RST);

        assertThat(world.on(Event.RESET, Side.UPSTREAM)).hasToString("[RESET_BOTH]");
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("client-fin abort");
    }

    @Test
    void aFinWhileDiscardingIsAwaitedEvenWhereThatFinWouldAbort() {
        TeardownWorld world = Start.DISCARDING.reach(new TeardownWorld(Policy.GRACEFUL,
                Map.of(Trigger.CLIENT_FIN, Policy.ABORT)), Stimulus.IDLE_TIMEOUT);

        assertThat(world.on(Event.FIN, Side.CLIENT)).hasToString("[PROBE(CLIENT)]");
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("shutdown graceful");
    }

    @Test
    void aSocketThatDoesNotDrainByItsDeadlineResetsTheSession() {
        TeardownWorld world = Start.HALF_CLOSED.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);

        assertThat(world.on(Event.LINGER_DEADLINE, Side.CLIENT)).as("never half-closed: no deadline of its own")
                .isEqualTo(Actions.NONE);
        assertThat(world.on(Event.LINGER_DEADLINE, Side.UPSTREAM)).hasToString("[RESET_BOTH]");
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("client-fin linger-timeout");
    }

    @Test
    void aDeadlineWhileTheFlushBeforeTheFinIsStillUnderWayResetsToo() {
        TeardownWorld world = Start.RELAYING.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);
        world.on(Event.FIN, Side.CLIENT); // HALF_CLOSE(UPSTREAM) asked; the flush has not completed

        assertThat(world.on(Event.LINGER_DEADLINE, Side.UPSTREAM)).hasToString("[RESET_BOTH]");
        assertThat(world.machine.path()).isEqualTo(TeardownPath.LINGER_TIMEOUT);
    }

    @Test
    void aDrainedSocketStopsItsDeadlineAndTheLastDrainClosesBoth() {
        TeardownWorld world = Start.DRAINING.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);

        assertThat(world.on(Event.DRAINED, Side.UPSTREAM)).hasToString("[STOP_DEADLINE(UPSTREAM)]");
        assertThat(world.on(Event.LINGER_DEADLINE, Side.UPSTREAM)).isEqualTo(Actions.NONE);
        assertThat(world.on(Event.DRAINED, Side.CLIENT)).hasToString("[STOP_DEADLINE(CLIENT), CLOSE_BOTH]");
        assertThat(world.machine.path()).isEqualTo(TeardownPath.GRACEFUL);
        assertThat(world.on(Event.CLOSED, Side.CLIENT)).isEqualTo(Actions.NONE);
        assertThat(world.on(Event.CLOSED, Side.UPSTREAM)).hasToString("[COUNT]");
    }

    @Test
    void aSocketClosedAfterItsFinAndDrainIsNoError() {
        // A drained socket whose transport closes it at the peer's FIN: the session reports that FIN, then the close.
        TeardownWorld world = Start.HALF_CLOSED.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);
        world.on(Event.DRAINED, Side.UPSTREAM);
        world.on(Event.FIN, Side.UPSTREAM);

        assertThat(world.on(Event.CLOSED, Side.UPSTREAM)).isEqualTo(Actions.NONE);
        assertThat(world.machine.state()).isEqualTo(TeardownMachine.State.DRAINING);
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("client-fin graceful");
    }

    @Test
    void aSessionWhoseSocketsWereAllLostEndsOnPathAbort() {
        TeardownWorld world = Start.RELAYING.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);
        world.on(Event.RESET, Side.CLIENT);

        assertThat(world.on(Event.FAILED, Side.UPSTREAM)).hasToString("[RESET(UPSTREAM), CLOSE_BOTH]");
        world.finish();
        assertThat(world.machine.trigger() + " " + world.machine.path()).isEqualTo("client-rst abort");
    }

    @Test
    void anOperatorsChoiceOfPolicyOverridesTheRoutes() {
        TeardownWorld graceful = Start.RELAYING.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);
        assertThat(graceful.end(Trigger.ADMIN, Policy.ABORT)).hasToString("[RESET_BOTH]");

        TeardownWorld abort = Start.RELAYING.reach(new TeardownWorld(Policy.ABORT, Map.of()), Stimulus.ADMIN);
        assertThat(abort.end(Trigger.ADMIN, Policy.GRACEFUL)).hasToString(
                "[HALF_CLOSE(CLIENT), HALF_CLOSE(UPSTREAM), READ(CLIENT), READ(UPSTREAM), START_DRAINING, DISCARD]");
        abort.finish();
        assertThat(abort.machine.trigger() + " " + abort.machine.path()).isEqualTo("admin graceful");
    }

    @Test
    void theClientsFinWhileConnectingIsForwardedOnceTheUpstreamIsThere() {
        TeardownWorld world = new TeardownWorld(Policy.GRACEFUL, Map.of());
        world.on(Event.FIN, Side.CLIENT);

        assertThat(world.on(Event.CONNECTED, Side.UPSTREAM)).hasToString("[HALF_CLOSE(UPSTREAM), START_RELAY]");
        assertThat(world.machine.state()).isEqualTo(TeardownMachine.State.HALF_CLOSED);
    }

    @Test
    void everyEventTwiceAsksNothingTheSecondTime() {
        TeardownWorld world = Start.RELAYING.reach(new TeardownWorld(Policy.GRACEFUL, Map.of()), Stimulus.ADMIN);
        world.on(Event.FIN, Side.CLIENT);
        assertThat(world.on(Event.FIN, Side.CLIENT)).isEqualTo(Actions.NONE);
        world.on(Event.FIN_SENT, Side.UPSTREAM);
        assertThat(world.on(Event.FIN_SENT, Side.UPSTREAM)).isEqualTo(Actions.NONE);
        world.on(Event.DRAINED, Side.UPSTREAM);
        assertThat(world.on(Event.DRAINED, Side.UPSTREAM)).isEqualTo(Actions.NONE);
        world.on(Event.RESET, Side.CLIENT);
        assertThat(world.on(Event.RESET, Side.CLIENT)).isEqualTo(Actions.NONE);
        assertThat(world.on(Event.CONNECTED, Side.UPSTREAM)).hasToString("[DROP_CONNECTION]");
        world.finish();
        assertThat(world.counts()).isEqualTo(1);
    }
}
