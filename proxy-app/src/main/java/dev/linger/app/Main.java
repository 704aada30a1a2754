package dev.linger.app;

import dev.linger.app.cli.Cli;

/**
 * The entry point of {@code proxy-app.jar} ({@code Main-Class}). Everything but the exit itself lives in
 * {@link Cli}, which tests drive in-process.
 */
public final class Main {

    private Main() {
    }

    /** Netty's leak detector: set it to {@code simple} or {@code paranoid} to hunt a leak. */
    private static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // Netty samples buffers for leaks by default, taking a stack trace for each sampled one: at tens
        // of thousands of connections per second that is a cost on every event loop. The tests run with
        // paranoid detection; a production proxy runs without unless the operator asks for it.
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
        int status = Cli.INTERNAL_ERROR;
        try {
            status = new Cli(System.out, System.err).run(args);
        } catch (RuntimeException | Error e) {
            // Not bad input (that never gets here) but a bug, or a broken installation (classes that no longer
            // load from a jar replaced under the running process): the trace is what a report needs.
            System.err.println("linger: internal error: " + e);
            e.printStackTrace();
        } finally {
            // Even if printing fails: event-loop threads may still be alive and would keep the JVM up.
            System.exit(status);
        }
    }
}
