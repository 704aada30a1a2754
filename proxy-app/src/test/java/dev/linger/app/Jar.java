package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code target/proxy-app.jar} in its own JVM, as an operator would. */
final class Jar {

    private Jar() {
    }

    /** Starts the jar with {@code args}; its streams go to files, never pipes a busy child could fill. */
    static Process start(Path out, Path err, String... args) throws IOException {
        return start(path(), out, err, args);
    }

    /** Starts {@code jar}, a copy of the packaged one, with {@code args}. */
    static Process start(Path jar, Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** The packaged jar. */
    static Path path() {
        Path jar = Path.of("target", "proxy-app.jar");
        assertThat(jar).as("built by mvn package").isRegularFile();
        return jar;
    }

    /** Sends {@code signal} (e.g. {@code HUP}) to {@code process}. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s returned", signal).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
    }

    static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
