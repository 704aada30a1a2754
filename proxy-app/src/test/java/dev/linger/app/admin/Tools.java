package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The repository's {@code docker/} files and the Prometheus tools the tests run against them. A missing
 * tool fails the test rather than skipping it: CI installs them ({@code .ci/run}), and a skipped check
 * would pass unnoticed.
 */
final class Tools {

    private static final long RUN_TIMEOUT_SECONDS = 60;

    private Tools() {
    }

    /** A file under the repository's {@code docker/} directory (tests run in {@code proxy-app/}). */
    static Path docker(String relative) {
        Path file = Path.of("..", "docker").resolve(relative).toAbsolutePath().normalize();
        assertThat(file).as("docker/%s in the repository", relative).isRegularFile();
        return file;
    }

    /** {@code name} on the PATH or in /usr/bin; fails the test with how to get it when it is missing. */
    static Path tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(name + " not found on the PATH or in /usr/bin: install Debian's prometheus package"
                + " (apt-get install prometheus), as .ci/run does");
    }

    /** What a finished command printed (stdout and stderr together) and its exit status. */
    record Run(int status, String output) {
    }

    /** Runs {@code command} to its end, feeding it {@code stdin}; bounded in time. */
    static Run run(String stdin, String... command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("linger-tool", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(String.join(" ", command) + " did not finish within " + RUN_TIMEOUT_SECONDS + "s");
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
