package dev.linger.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options picocli fills in. It only parses; {@link Cli} decides what the combination means, so every
 * error message is written in one place.
 */
@Command(
        name = "linger",
        sortOptions = false,
        customSynopsis = {
            "linger --config FILE", // after picocli's "Usage: " heading
            "       linger --check --config FILE",
            "       linger --check FILE",
            "       linger --version | --help",
        },
        descriptionHeading = "%n",
        description = "Runs the linger TCP proxy, or checks its configuration file.",
        optionListHeading = "%nOptions:%n",
        footer = {
            "",
            "Exit status: 0 on success or after a clean shutdown; 2 for bad usage, an",
            "unreadable file, an invalid configuration or a proxy that cannot start;",
            "1 for an internal error.",
            "SIGTERM and SIGINT stop the proxy.",
        })
final class LingerCommand {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration file (HOCON), layered over the built-in defaults.")
    Path config;

    @Option(names = "--check",
            description = "Validate the configuration, print a summary of its routes and exit:"
                    + " 0 if it is valid, 2 if not.")
    boolean check;

    // `--check FILE`: the file may also come as the only argument. Hidden because on its own it means
    // nothing; the synopsis shows where it goes.
    @Parameters(arity = "0..1", paramLabel = "FILE", hidden = true)
    Path file;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;
}
