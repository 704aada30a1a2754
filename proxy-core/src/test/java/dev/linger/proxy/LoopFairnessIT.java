package dev.linger.proxy;

import static dev.linger.proxy.testing.TestRoutes.proxy;
import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.TransportKind;
import dev.linger.proxy.config.Trigger;
import dev.linger.proxy.route.Route;
import dev.linger.proxy.testing.RunningProxy;
import dev.linger.proxy.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One event loop, many sessions: a burst of teardown work on some of them must not hold up the others.
 * Netty's loops would run every queued task (timers, ends requested by the admin API or a shutdown)
 * for up to a second before looking at I/O again; the proxy's go back to I/O every millisecond.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopFairnessIT {

    private static final int SESSIONS = 1000;
    private static final byte[] PING = {'p'};

    @Test
    void endingAThousandSessionsAtOnceDoesNotHoldUpAnotherSession() throws Exception {
        List<Socket> held = new ArrayList<>();
        List<Socket> clients = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket();
                ScriptedUpstream echoUpstream = ScriptedUpstream.start(ScriptedUpstream.ECHO)) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), SESSIONS);
            CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < SESSIONS; i++) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            HostPort silentAddress = new HostPort("127.0.0.1", silent.getLocalPort());
            try (RunningProxy proxy = new RunningProxy(proxy(TransportKind.AUTO, 1,
                    route("many", Policy.ABORT, Duration.ofSeconds(5), Map.of(), silentAddress),
                    route("echo", echoUpstream.address())));
                    Socket echo = proxy.connect("echo")) {
                for (int i = 0; i < SESSIONS; i++) {
                    clients.add(proxy.connect("many"));
                }
                acceptor.get(30, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.server().liveSessions("many") == SESSIONS);
                for (int i = 0; i < 2000; i++) { // warm the echo path (class loading, JIT) before timing it
                    roundTrip(echo);
                }

                AtomicBoolean ending = new AtomicBoolean(true);
                CompletableFuture<Long> worstNanos = CompletableFuture.supplyAsync(() -> {
                    long worst = 0;
                    while (ending.get()) {
                        long start = System.nanoTime();
                        roundTrip(echo);
                        worst = Math.max(worst, System.nanoTime() - start);
                    }
                    return worst;
                });
                Route many = proxy.server().routes().stream().filter(r -> r.name().equals("many")).findFirst()
                        .orElseThrow();
                assertThat(many.endSessions(Trigger.ADMIN, Policy.ABORT, Optional.empty())).isEqualTo(SESSIONS);
                await().atMost(Duration.ofSeconds(30)).until(() -> proxy.server().liveSessions("many") == 0);
                ending.set(false);

                // Netty's own loops: about 200 ms on a 2-core machine; the proxy's: about 45 ms
                assertThat(TimeUnit.NANOSECONDS.toMillis(worstNanos.get(10, TimeUnit.SECONDS)))
                        .as("worst echo round trip while %d sessions were reset, ms", SESSIONS).isLessThan(100);
            }
        } finally {
            for (Socket socket : clients) {
                socket.close();
            }
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static void roundTrip(Socket echo) {
        try {
            echo.getOutputStream().write(PING);
            if (echo.getInputStream().read() != PING[0]) {
                throw new IllegalStateException("echo answered something else");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
