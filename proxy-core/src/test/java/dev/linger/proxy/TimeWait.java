package dev.linger.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Counts the proxy's sockets in TIME_WAIT, as {@code ss} reports them. */
final class TimeWait {

    private TimeWait() {
    }

    /**
     * Sockets in TIME_WAIT on the proxy's side: accepted ones (local port = the listener's) and upstream
     * ones (remote port = the upstream's).
     */
    static long count(int listenPort, int upstreamPort) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Htan", "state", "time-wait",
                "( sport = :" + listenPort + " or dport = :" + upstreamPort + " )")
                .redirectErrorStream(true).start();
        if (!ss.waitFor(10, TimeUnit.SECONDS)) {
            ss.destroyForcibly();
            throw new IllegalStateException("ss did not answer within 10 s");
        }
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ss.exitValue() != 0) {
            throw new IllegalStateException("ss failed: " + out);
        }
        return out.lines().filter(line -> !line.isBlank()).count();
    }
}
