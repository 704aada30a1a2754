package dev.linger.app;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.proxy.config.HostPort;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stop signals taken over before the proxy listens: one that comes while it starts stops it once it runs. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignalTargetIT {

    @Test
    void aStopSignalWhileStartingStopsTheProxyOnceItRuns() throws Exception {
        SignalTarget signals = new SignalTarget();
        signals.stop("SIGTERM"); // the proxy is not there yet

        ProxyProcess process = ProxyProcess.start(proxy(route("web", new HostPort("127.0.0.1", 9))));
        signals.attach(process);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(process::runUntilStopped);

        stopped.get(30, TimeUnit.SECONDS);
        assertThat(process.ready()).isFalse();
        assertThat(process.server().liveSessions()).isZero();
    }

    @Test
    void aStopSignalWhileRunningGoesStraightToTheProxy() throws Exception {
        SignalTarget signals = new SignalTarget();
        ProxyProcess process = ProxyProcess.start(proxy(route("web", new HostPort("127.0.0.1", 9))));
        signals.attach(process);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(process::runUntilStopped);
        assertThat(process.ready()).isTrue();

        signals.stop("SIGTERM");

        stopped.get(30, TimeUnit.SECONDS);
        assertThat(process.ready()).isFalse();
    }
}
