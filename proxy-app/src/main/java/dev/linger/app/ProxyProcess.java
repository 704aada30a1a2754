package dev.linger.app;

import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy, from start to stop: starts the {@link ProxyServer}, logs what listens where, waits
 * for a stop signal and closes the server. This is the seam for the rest of the lifecycle: SIGHUP
 * reload and the draining shutdown of contract section 5 belong here, not in the command line.
 */
public final class ProxyProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyProcess.class);

    private final ProxyServer server;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    // Written under the lock by close(), read without it so a second signal is never stuck behind close().
    private volatile boolean closed;

    private ProxyProcess(ProxyServer server) {
        this.server = server;
    }

    /**
     * Starts the proxy for {@code config}: every route listens when this returns.
     *
     * @throws ProxyStartException if it cannot start (a listener cannot bind); the message is one line
     */
    public static ProxyProcess start(ProxyConfig config) throws ProxyStartException {
        ProxyServer server = ProxyServer.start(config);
        log.info("linger {} started, transport {}, {} route(s)",
                Version.current(), server.transportName(), config.routes().size());
        for (RouteConfig route : config.routes()) {
            log.info("{}", RouteSummary.listening(route, server.boundAddress(route.name())));
        }
        return new ProxyProcess(server);
    }

    /**
     * Blocks until SIGTERM or SIGINT (or {@link #requestStop}), then closes the proxy. Returns once it
     * is closed; the caller then exits 0.
     */
    public void runUntilStopped() {
        StopSignals.install(this::requestStop);
        // Where a signal could not be taken over, the JVM's own shutdown still closes the server.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "linger-shutdown"));
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requestStop("interrupt");
        } finally {
            close();
        }
    }

    /**
     * Asks {@link #runUntilStopped} to stop. A second request while the first is still closing exits
     * at once, so an operator can always end a shutdown that hangs with a second Ctrl-C.
     */
    public void requestStop(String reason) {
        if (stopReason.compareAndSet(null, reason)) {
            log.info("{}: stopping", reason);
            stopRequested.countDown();
        } else if (!closed) {
            log.warn("{} while stopping: exiting now", reason);
            Runtime.getRuntime().halt(1);
        }
    }

    /** Closes every listener and session and stops the event loops; idempotent, returns when done. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        server.close();
        closed = true;
        log.info("linger stopped");
    }
}
