package dev.linger.app;

import dev.linger.app.cli.Cli;

/**
 * The entry point of {@code proxy-app.jar} ({@code Main-Class}). Everything but the exit itself lives in
 * {@link Cli}, which tests drive in-process.
 */
public final class Main {

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        int status;
        try {
            status = new Cli(System.out, System.err).run(args);
        } catch (RuntimeException e) {
            // Not bad input (that never gets here) but a bug: the trace is what a report needs. The explicit
            // exit matters because event-loop threads may still be alive and would keep the JVM up.
            System.err.println("linger: internal error: " + e);
            e.printStackTrace();
            status = Cli.INTERNAL_ERROR;
        }
        System.exit(status);
    }
}
