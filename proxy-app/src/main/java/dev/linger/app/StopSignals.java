package dev.linger.app;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop request instead of the JVM's default, which runs the shutdown
 * hooks and exits with 128 + the signal number: the contract wants exit status 0 after a clean
 * shutdown, and SIGHUP (reload, later) cannot be had from the JDK any other way. {@code sun.misc.Signal}
 * lives in {@code jdk.unsupported}, which is meant for exactly this; javac warns about it, and that
 * warning cannot be suppressed, so it is confined to this class.
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private static final List<String> STOP = List.of("TERM", "INT");

    private StopSignals() {
    }

    /**
     * Calls {@code onStop} with the signal's name ({@code SIGTERM}) on each stop signal. A signal the
     * JVM does not let us handle (it was ignored when the JVM started, or {@code -Xrs}) keeps its
     * default, which ends in the shutdown hook {@link ProxyProcess} also registers.
     */
    static void install(Consumer<String> onStop) {
        for (String name : STOP) {
            try {
                Signal.handle(new Signal(name), signal -> onStop.accept("SIG" + signal.getName()));
            } catch (IllegalArgumentException e) {
                log.debug("SIG{} keeps the JVM's handling: {}", name, e.getMessage());
            }
        }
    }
}
