package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.testing.ScriptedUpstream;
import dev.linger.proxy.testing.Wire;
import dev.linger.proxy.testing.Wire.End;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Lifecycle" on the packaged jar with real signals: SIGTERM drains, SIGHUP reloads, and a
 * broken file on reload keeps every session and listener alive.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @RegisterExtension
    final StartedProcesses processes = new StartedProcesses();

    @Test
    void sigtermRefusesNewClientsAtOnceAndExits0WhenTheLiveSessionEnds() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO)) {
            int port = Jar.freePort();
            Process proxy = start("""
                    proxy {
                      admin.listen = ""
                      shutdown-timeout = 20s
                      routes.web { listen = "127.0.0.1:%d", upstreams = ["%s"] }
                    }
                    """.formatted(port, upstream.address()), "route web listening");
            try (Socket live = new Socket("127.0.0.1", port)) {
                assertEchoes(live);

                long signalled = System.nanoTime();
                proxy.destroy(); // SIGTERM
                long refusedAfter = awaitRefused(port);

                assertThat(TimeUnit.NANOSECONDS.toMillis(refusedAfter - signalled))
                        .as("new connections refused after SIGTERM, ms").isLessThan(100);
                assertEchoes(live);
                assertThat(proxy.isAlive()).as("still draining while a session lives").isTrue();
                live.shutdownOutput();
                assertThat(Wire.readToEnd(live.getInputStream()).end()).isEqualTo(End.FIN);
            }
            assertThat(proxy.waitFor(10, TimeUnit.SECONDS)).as("exited once the session ended").isTrue();
            assertThat(proxy.exitValue()).as("exit status; stderr: %s", err()).isZero();
            assertThat(err()).contains("every session ended by itself").doesNotContain("Exception");
        }
    }

    @Test
    void aSessionThatNeverEndsIsEndedAtShutdownTimeoutWithTriggerShutdown() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO)) {
            int port = Jar.freePort();
            Process proxy = start("""
                    proxy {
                      admin.listen = ""
                      shutdown-timeout = 1s
                      routes.db { listen = "127.0.0.1:%d", upstreams = ["%s"] }
                    }
                    """.formatted(port, upstream.address()), "route db listening");
            try (Socket idle = new Socket("127.0.0.1", port)) {
                assertEchoes(idle);
                long signalled = System.nanoTime();
                proxy.destroy(); // SIGTERM

                // The graceful route half-closes the client at shutdown-timeout, then waits for its FIN.
                assertThat(Wire.readToEnd(idle.getInputStream()).end()).isEqualTo(End.FIN);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isBetween(900L, 5000L);
                idle.shutdownOutput();
            }
            assertThat(proxy.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(proxy.exitValue()).as("exit status; stderr: %s", err()).isZero();
            assertThat(Jar.read(dir.resolve("stdout.txt"))).contains("route=db").contains("trigger=shutdown path=graceful");
        }
    }

    @Test
    void sighupAppliesAGoodFileAndABrokenOneChangesNothing() throws Exception {
        try (ScriptedUpstream upstream = ScriptedUpstream.start(ScriptedUpstream.ECHO)) {
            int steadyPort = Jar.freePort();
            int freshPort = Jar.freePort();
            String steady = "routes.steady { listen = \"127.0.0.1:%d\", upstreams = [\"%s\"] }"
                    .formatted(steadyPort, upstream.address());
            Process proxy = start("proxy {\n  admin.listen = \"\"\n  " + steady + "\n}\n", "route steady listening");
            try (Socket live = new Socket("127.0.0.1", steadyPort)) {
                assertEchoes(live);

                Files.writeString(config(), "proxy {\n  admin.listen = \"\"\n  " + steady
                        + "\n  routes.fresh { listen = \"127.0.0.1:" + freshPort + "\", upstreams = [\"" + upstream.address()
                        + "\"] }\n}\n");
                Jar.signal(proxy, "HUP");
                await().atMost(WAIT).until(() -> err().contains("reload: added [fresh]"));
                try (Socket fresh = new Socket("127.0.0.1", freshPort)) {
                    assertEchoes(fresh);
                }
                assertEchoes(live);

                Files.writeString(config(), "proxy {\n  admin.listen = \"\"\n  " + steady
                        + "\n  routes.fresh { lisen = \"127.0.0.1:" + freshPort + "\" }\n}\n");
                Jar.signal(proxy, "HUP");
                await().atMost(WAIT).until(() -> err().contains("reload failed, nothing changed"));
                assertThat(err()).contains("proxy.routes.fresh.lisen: unknown key (did you mean 'listen'?) at proxy.conf:4");
                assertEchoes(live);
                try (Socket fresh = new Socket("127.0.0.1", freshPort)) {
                    assertEchoes(fresh);
                }
            }
            proxy.destroy();
            assertThat(proxy.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(proxy.exitValue()).as("exit status; stderr: %s", err()).isZero();
        }
    }

    @Test
    void aJarReplacedUnderTheRunningProcessStillLetsSigtermEndIt() throws Exception {
        // A jar rewritten in place while the proxy runs (a build or a careless upgrade) breaks the loading of
        // classes the stop needs: the stop fails, and the event-loop threads kept the JVM up for ever.
        Path jar = Files.copy(Jar.path(), dir.resolve("linger.jar"));
        Process proxy = start(jar, """
                proxy {
                  admin.listen = ""
                  routes.web { listen = "127.0.0.1:%d", upstreams = ["127.0.0.1:9"] }
                }
                """.formatted(Jar.freePort()), "route web listening");
        Files.write(jar, new byte[] {0}); // truncated to one byte, the same file

        proxy.destroy(); // SIGTERM
        assertThat(proxy.waitFor(20, TimeUnit.SECONDS)).as("exited; stderr: %s", err()).isTrue();
        assertThat(proxy.exitValue()).as("exit status").isEqualTo(1);
        assertThat(err()).contains("linger: internal error: java.lang.NoClassDefFoundError");
    }

    private Process start(String config, String readyLine) throws Exception {
        return start(Jar.path(), config, readyLine);
    }

    private Process start(Path jar, String config, String readyLine) throws Exception {
        Files.writeString(config(), config);
        Process process = Jar.start(jar, dir.resolve("stdout.txt"), dir.resolve("stderr.txt"), "--config",
                config().toString());
        processes.add(process);
        await().atMost(WAIT).until(() -> err().contains(readyLine) || !process.isAlive());
        assertThat(process.isAlive()).as("running; stderr: %s", err()).isTrue();
        return process;
    }

    private Path config() {
        return dir.resolve("proxy.conf");
    }

    private String err() throws IOException {
        return Jar.read(dir.resolve("stderr.txt"));
    }

    /**
     * Tries to connect every few milliseconds until refused (or reset: a connection still in the backlog
     * when the listener closed); returns when that happened.
     */
    private static long awaitRefused(int port) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            } catch (SocketException refused) {
                return System.nanoTime();
            }
        }
        throw new AssertionError("port " + port + " still accepts " + WAIT + " after SIGTERM");
    }

    private static void assertEchoes(Socket client) throws IOException {
        client.getOutputStream().write(PING);
        assertThat(client.getInputStream().readNBytes(PING.length)).isEqualTo(PING);
    }

}
