package dev.linger.app;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop request, and SIGHUP into a reload, instead of the JVM's default, which runs the shutdown
 * hooks and exits with 128 + the signal number: the command line promises exit status 0 after a clean
 * shutdown (the README's "Command line"; LifecycleIT checks it), and SIGHUP cannot be had from the JDK any other way. {@code sun.misc.Signal}
 * lives in {@code jdk.unsupported}, which is meant for exactly this; javac warns about it, and that
 * warning cannot be suppressed, so it is confined to this class.
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    private static final List<String> STOP = List.of("TERM", "INT");
    private static final String RELOAD = "HUP";

    private StopSignals() {
    }

    /**
     * Calls {@code onStop} with the signal's name ({@code SIGTERM}) on each stop signal, and
     * {@code onReload} on each SIGHUP (on the JVM's signal thread, so it may block). A signal the
     * JVM does not let us handle (it was ignored when the JVM started, or {@code -Xrs}) keeps its
     * default, which ends in the shutdown hook {@link ProxyProcess} also registers.
     */
    static void install(Consumer<String> onStop, Runnable onReload) {
        for (String name : STOP) {
            handle(name, () -> onStop.accept("SIG" + name));
        }
        handle(RELOAD, onReload);
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            log.debug("SIG{} keeps the JVM's handling: {}", name, e.getMessage());
        }
    }
}
