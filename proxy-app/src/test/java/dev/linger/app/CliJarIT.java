package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/proxy-app.jar} as an operator runs it: a separate JVM, real exit statuses
 * and real streams (so logback noise would show). Runs after {@code package}, under Failsafe. The
 * {@code --check} tests need the real {@code ConfigLoader}; {@code runsUntilSigtermThenExits0} also the
 * real {@code ProxyServer}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliJarIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    @Test
    void versionExits0WithOnlyTheVersionOnStdout() throws Exception {
        Result result = run("--version");

        assertThat(result.status).isZero();
        assertThat(result.out).matches("linger \\d+\\.\\d+\\.\\d+\\S*\\R");
        assertThat(result.err).isEmpty();
    }

    @Test
    void helpExits0WithTheUsage() throws Exception {
        Result result = run("--help");

        assertThat(result.status).isZero();
        assertThat(result.out).startsWith("Usage: linger --config FILE").contains("--check");
        assertThat(result.err).isEmpty();
    }

    @Test
    void unknownFlagExits2WithOneLineAndTheUsage() throws Exception {
        Result result = run("--bogus");

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err).startsWith("linger: Unknown option: '--bogus'" + System.lineSeparator() + "Usage:")
                .doesNotContain("Exception");
    }

    @Test
    void checkOfAnInvalidFileExits2NamingTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("proxy.conf"), """
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80"]
                  teardown.policy = sometimes
                }
                """);

        Result result = run("--check", file.toString());

        assertThat(result.status).isEqualTo(2);
        assertThat(result.out).isEmpty();
        assertThat(result.err).contains("proxy.routes.web.teardown.policy", "sometimes")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void checkOfAValidFileExits0WithTheRouteSummary() throws Exception {
        Path file = Files.writeString(dir.resolve("proxy.conf"), """
                proxy.routes.web {
                  listen = "127.0.0.1:8080"
                  upstreams = ["10.0.0.1:80", "10.0.0.2:80"]
                }
                """);

        Result result = run("--check", "--config", file.toString());

        assertThat(result.err).isEmpty();
        assertThat(result.status).isZero();
        assertThat(result.out).contains("route web: listen 127.0.0.1:8080, upstreams [10.0.0.1:80, 10.0.0.2:80]",
                "config OK");
    }

    @Test
    void runsUntilSigtermThenExits0() throws Exception {
        int port = freePort();
        Path file = Files.writeString(dir.resolve("proxy.conf"), """
                proxy {
                  admin.listen = ""
                  routes.web { listen = "127.0.0.1:%d", upstreams = ["127.0.0.1:9"] }
                }
                """.formatted(port));
        Path err = dir.resolve("stderr.txt");
        Process process = start(dir.resolve("stdout.txt"), err, "--config", file.toString());

        await().atMost(WAIT).until(() -> read(err).contains("route web listening on 127.0.0.1:" + port)
                || !process.isAlive());
        assertThat(process.isAlive()).as("running; stderr: %s", read(err)).isTrue();
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        }

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(process.exitValue()).as("exit status; stderr: %s", read(err)).isZero();
        assertThat(read(err)).contains("SIGTERM: stopping", "linger stopped").doesNotContain("Exception");
    }

    @Test
    void servesTheAdminListenerUntilSigterm() throws Exception {
        Path err = dir.resolve("stderr.txt");
        Process process = null;
        int admin = 0;
        // Two fixed ports picked ahead of the JVM that binds them: another process may take one meanwhile.
        for (int attempt = 1; process == null; attempt++) {
            admin = freePort();
            Path file = Files.writeString(dir.resolve("proxy.conf"), """
                    proxy {
                      admin.listen = "127.0.0.1:%d"
                      routes.web { listen = "127.0.0.1:%d", upstreams = ["127.0.0.1:9"] }
                    }
                    """.formatted(admin, freePort()));
            Process started = start(dir.resolve("stdout.txt"), err, "--config", file.toString());
            String listening = "admin listening on 127.0.0.1:" + admin;
            await().atMost(WAIT).until(() -> read(err).contains(listening) || !started.isAlive());
            if (started.isAlive()) {
                process = started;
            } else {
                assertThat(attempt < 3 && read(err).contains("Address already in use"))
                        .as("attempt %d; stderr: %s", attempt, read(err)).isTrue();
            }
        }

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("proxy_connections_closed_total{path=\"graceful\",route=\"web\",trigger=\"client-fin\"} 0.0",
                "jvm_memory_used_bytes");
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(process.exitValue()).as("exit status; stderr: %s", read(err)).isZero();
    }

    private Result run(String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = start(out, err, args);
        assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
        return new Result(process.exitValue(), read(out), read(err));
    }

    private Process start(Path out, Path err, String... args) throws IOException {
        Process process = Jar.start(out, err, args);
        processes.add(process);
        return process;
    }

    private static String read(Path file) throws IOException {
        return Jar.read(file);
    }

    private static int freePort() throws IOException {
        return Jar.freePort();
    }

    private record Result(int status, String out, String err) {
    }
}
