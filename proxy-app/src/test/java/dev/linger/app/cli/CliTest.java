package dev.linger.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line in-process, with captured streams. The tests that load a configuration need the real
 * {@code ConfigLoader} (and {@code runWhenPortTakenPrintsOneLineAndExits2} the real {@code ProxyServer}).
 */
class CliTest {

    private static final String VALID = """
            proxy {
              admin.listen = ""
              routes {
                web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80", "10.0.0.2:80"]
                  teardown { policy = abort, on { upstream-fin = graceful } }
                }
                db {
                  listen = "127.0.0.1:5433"
                  upstreams = ["10.0.0.3:5432"]
                }
              }
            }
            """;

    private static final String BAD_POLICY = """
            proxy {
              routes {
                web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80"]
                  teardown.policy = sometimes
                }
              }
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpPrintsUsageToStdoutAndExits0(String flag) {
        Result result = run(flag);

        assertThat(result.status).isZero();
        assertThat(result.out).startsWith("Usage: linger --config FILE")
                .contains("linger --check --config FILE", "linger --check FILE", "linger --version | --help",
                        "--config=FILE", "--check", "--version", "Exit status:");
        assertThat(result.err).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionPrintsTheMavenVersionAndExits0(String flag) {
        Result result = run(flag);

        assertThat(result.status).isZero();
        assertThat(result.out).matches("linger \\d+\\.\\d+\\.\\d+\\S*" + System.lineSeparator());
        assertThat(result.err).isEmpty();
    }

    @Test
    void unknownFlagIsOneLineThenTheUsageAndExits2() {
        Result result = run("--bogus");

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.errLines().get(0)).isEqualTo("linger: Unknown option: '--bogus'");
        assertThat(result.errAfterFirstLine()).isEqualTo(run("--help").out);
        assertNoStackTrace(result);
    }

    @Test
    void misspelledFlagSuggestsTheRightOneOnTheSameLine() {
        Result result = run("--confg", "proxy.conf");

        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines().get(0))
                .isEqualTo("linger: Unknown option: '--confg' (did you mean --config?)");
        assertThat(result.errLines().get(1)).startsWith("Usage:");
    }

    @Test
    void missingArgumentIsOneLineThenTheUsageAndExits2() {
        Result result = run("--config");

        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines().get(0)).isEqualTo("linger: Missing required parameter for option '--config' (FILE)");
        assertThat(result.errLines().get(1)).startsWith("Usage:");
        assertNoStackTrace(result);
    }

    @Test
    void noArgumentsIsOneLineThenTheUsageAndExits2() {
        Result result = run();

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.errLines().get(0)).isEqualTo("linger: no configuration file given (expected: --config FILE)");
        assertThat(result.errLines().get(1)).startsWith("Usage:");
    }

    @Test
    void fileWithoutCheckIsRejected() {
        Result result = run("proxy.conf");

        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines().get(0)).isEqualTo(
                "linger: unexpected argument 'proxy.conf' (expected: --config FILE to run, or --check FILE)");
    }

    @Test
    void twoFilesAreRejected() throws IOException {
        Path a = write("a.conf", VALID);
        Path b = write("b.conf", VALID);

        Result result = run("--check", "--config", a.toString(), b.toString());

        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines().get(0)).isEqualTo(
                "linger: two configuration files given, '" + a + "' and '" + b + "' (expected: one)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--config", "--check", "--check --config"})
    void missingFileIsOneLineNamingItThenTheUsageAndExits2(String flags) {
        Path missing = dir.resolve("nope.conf");

        Result result = run(args(flags, missing));

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.errLines().get(0))
                .isEqualTo("linger: cannot read configuration file '" + missing + "': no such file");
        assertThat(result.errLines().get(1)).startsWith("Usage:");
        assertNoStackTrace(result);
    }

    @Test
    void directoryIsNotAConfigurationFile() {
        Result result = run("--check", dir.toString());

        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines().get(0))
                .isEqualTo("linger: cannot read configuration file '" + dir + "': not a regular file");
    }

    // --- from here on the real ConfigLoader is needed ---

    @ParameterizedTest
    @ValueSource(strings = {"--check", "--check --config"})
    void checkOfAValidFilePrintsOneLinePerRouteAndExits0(String flags) throws IOException {
        Path file = write("proxy.conf", VALID);

        Result result = run(args(flags, file));

        assertThat(result.err).isEmpty();
        assertThat(result.status).isZero();
        assertThat(result.outLines()).hasSize(3);
        assertThat(result.out)
                .contains("route web: listen 127.0.0.1:8080, upstreams [10.0.0.1:80, 10.0.0.2:80], policy abort, on {")
                .contains("upstream-fin=graceful")
                .contains("route db: listen 127.0.0.1:5433, upstreams [10.0.0.3:5432], policy graceful")
                .contains("config OK: " + file + ", 2 routes");
    }

    @Test
    void checkOfAnInvalidFilePrintsTheProblemNamingTheKeyAndExits2() throws IOException {
        Path file = write("proxy.conf", BAD_POLICY);

        Result result = run("--check", file.toString());

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.errLines().get(0))
                .startsWith("proxy.routes.web.teardown.policy")
                .contains("sometimes", "proxy.conf");
        assertNoStackTrace(result);
    }

    @Test
    void runWithAnInvalidFilePrintsTheProblemsAndExits2WithoutStarting() throws IOException {
        Path file = write("proxy.conf", BAD_POLICY);

        Result result = run("--config", file.toString());

        assertExits2WithOneLine(result, "proxy.routes.web.teardown.policy");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runWhenPortTakenPrintsOneLineAndExits2() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path file = write("proxy.conf", """
                    proxy {
                      admin.listen = ""
                      routes.web { listen = "127.0.0.1:%d", upstreams = ["127.0.0.1:9"] }
                    }
                    """.formatted(taken.getLocalPort()));

            Result result = run("--config", file.toString());

            assertExits2WithOneLine(result, "linger: cannot start: ");
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runWhenTheAdminPortIsTakenPrintsOneLineAndExits2() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // No route: the admin listener is the only thing that binds.
            Path file = write("proxy.conf", """
                    proxy.admin.listen = "127.0.0.1:%d"
                    """.formatted(taken.getLocalPort()));

            Result result = run("--config", file.toString());

            assertExits2WithOneLine(result,
                    "linger: cannot start: proxy.admin.listen: '127.0.0.1:" + taken.getLocalPort() + "'");
        }
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** {@code "--check --config"} and a file as separate arguments. */
    private static String[] args(String flags, Path file) {
        List<String> args = new ArrayList<>(List.of(flags.split(" ")));
        args.add(file.toString());
        return args.toArray(String[]::new);
    }

    /** Exit status 2 and a single line on stderr that starts with {@code start}, no stack trace. */
    private static void assertExits2WithOneLine(Result result, String start) {
        assertThat(result.status).isEqualTo(2);
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.errLines().get(0)).startsWith(start);
        assertNoStackTrace(result);
    }

    private static void assertNoStackTrace(Result result) {
        assertThat(result.err).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.out).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new Cli(outStream, errStream).run(args);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Result(int status, String out, String err) {

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        String errAfterFirstLine() {
            return err.substring(err.indexOf('\n') + 1);
        }
    }
}
