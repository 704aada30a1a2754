package dev.linger.app.cli;

import dev.linger.app.ProxyProcess;
import dev.linger.app.RouteSummary;
import dev.linger.app.SignalTarget;
import dev.linger.app.Version;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.ConfigLoader;
import dev.linger.proxy.config.ConfigProblems;
import dev.linger.proxy.config.ProxyConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of linger (the README's "Command line"). {@link #run} parses the arguments and runs the proxy
 * ({@code --config FILE}), checks a configuration file ({@code --check}), or prints the version or the
 * usage, and returns the exit status. Output goes only to the two streams it was given, so tests drive it
 * in-process; {@link dev.linger.app.Main} passes {@code System.out} and {@code System.err} and exits.
 */
public final class Cli {

    /** Exit status: done, the configuration is valid, or the proxy shut down cleanly. */
    static final int OK = 0;
    /** Exit status: an unexpected failure, i.e. a bug. */
    public static final int INTERNAL_ERROR = 1;
    /** Exit status: bad usage, an unreadable file, an invalid configuration, or a proxy that cannot start. */
    static final int INVALID = 2;

    private final PrintStream out;
    private final PrintStream err;

    /** A command line that prints results to {@code out} and problems to {@code err}. */
    public Cli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the command line. With {@code --config FILE} this blocks while the proxy runs, until SIGTERM or
     * SIGINT.
     *
     * @return the exit status: {@link #OK} or {@link #INVALID}
     */
    public int run(String... args) {
        LingerCommand command = new LingerCommand();
        CommandLine commandLine = new CommandLine(command)
                .setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        try {
            commandLine.parseArgs(args);
        } catch (ParameterException e) {
            return usageError(commandLine, describe(e));
        }
        if (command.help) {
            commandLine.usage(out);
            return OK;
        }
        if (command.version) {
            out.println("linger " + Version.current());
            return OK;
        }
        if (command.file != null && !command.check) {
            return usageError(commandLine, "unexpected argument '" + command.file
                    + "' (expected: --config FILE to run, or --check FILE)");
        }
        if (command.file != null && command.config != null) {
            return usageError(commandLine, "two configuration files given, '" + command.config + "' and '"
                    + command.file + "' (expected: one)");
        }
        Path file = command.config != null ? command.config : command.file;
        if (file == null) {
            return usageError(commandLine, "no configuration file given (expected: --config FILE)");
        }
        Optional<String> unreadable = unreadable(file);
        if (unreadable.isPresent()) {
            return usageError(commandLine, "cannot read configuration file '" + file + "': " + unreadable.get());
        }
        return command.check ? check(file) : serve(file);
    }

    private int check(Path file) {
        Optional<ProxyConfig> config = load(file);
        if (config.isEmpty()) {
            return INVALID;
        }
        config.get().routes().forEach(route -> out.println(RouteSummary.configured(route)));
        int routes = config.get().routes().size();
        out.println("config OK: " + file + ", " + routes + (routes == 1 ? " route" : " routes"));
        return OK;
    }

    private int serve(Path file) {
        Optional<ProxyConfig> config = load(file);
        if (config.isEmpty()) {
            return INVALID;
        }
        SignalTarget signals = SignalTarget.install(); // before anything listens: see SignalTarget
        ProxyProcess process;
        try {
            process = ProxyProcess.start(config.get(), file);
        } catch (ProxyStartException e) {
            err.println("linger: cannot start: " + oneLine(e.getMessage()));
            return INVALID;
        }
        signals.attach(process);
        process.runUntilStopped();
        return OK;
    }

    /** The configuration, or empty after printing every problem, one line each. */
    private Optional<ProxyConfig> load(Path file) {
        try {
            return Optional.of(ConfigLoader.load(file));
        } catch (ConfigProblems e) {
            e.problems().forEach(problem -> err.println(oneLine(problem)));
            return Optional.empty();
        }
    }

    private int usageError(CommandLine commandLine, String problem) {
        err.println("linger: " + oneLine(problem));
        commandLine.usage(err);
        return INVALID;
    }

    /** Picocli's message, with its did-you-mean folded into the same line. */
    static String describe(ParameterException e) {
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
        }
        return message;
    }

    /** Why {@code file} cannot be read, if it cannot: checked here so the loader only sees real files. */
    static Optional<String> unreadable(Path file) {
        if (!Files.exists(file)) {
            return Optional.of("no such file");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("not a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("permission denied");
        }
        return Optional.empty();
    }

    /** Keeps the one-line-per-problem promise even when a message carries a line break. */
    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
