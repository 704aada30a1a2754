package dev.linger.app;

import dev.linger.app.admin.AdminServer;
import dev.linger.app.admin.PrometheusMetrics;
import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.AdminConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy, from start to stop: creates the meter registry, starts the {@link ProxyServer} and
 * then the {@link AdminServer}, logs what listens where, waits for a stop signal and closes everything
 * in reverse order, the admin listener last so {@code /readyz} reports the drain. This is the seam for
 * the rest of the lifecycle: SIGHUP reload and the draining shutdown of contract section 5 belong here,
 * not in the command line.
 */
public final class ProxyProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyProcess.class);

    private final ProxyServer server;
    private final PrometheusMetrics metrics;
    private AdminServer admin; // set once in start(), before the process is handed out
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    // Read by the admin event loop for /readyz: true once everything listens, false from the start of close().
    private volatile boolean ready;
    // Written under the lock by close(), read without it so a second signal is never stuck behind close().
    private volatile boolean closed;

    private ProxyProcess(ProxyServer server, PrometheusMetrics metrics) {
        this.server = server;
        this.metrics = metrics;
    }

    /**
     * Starts the proxy for {@code config}: every route listens, and the admin listener too unless
     * {@code proxy.admin.listen} is empty, when this returns.
     *
     * @throws ProxyStartException if it cannot start (a listener or the admin listener cannot bind); the
     *                             message is one line, and nothing is left running
     */
    public static ProxyProcess start(ProxyConfig config) throws ProxyStartException {
        PrometheusMetrics metrics = PrometheusMetrics.create();
        ProxyServer server;
        try {
            server = ProxyServer.start(config, metrics.registry());
        } catch (ProxyStartException e) {
            metrics.close();
            throw e;
        }
        ProxyProcess process = new ProxyProcess(server, metrics);
        metrics.bindEventLoops(server.eventLoops(), "relay");
        log.info("linger {} started, transport {}, {} route(s)",
                Version.current(), server.transportName(), config.routes().size());
        for (RouteConfig route : config.routes()) {
            log.info("{}", RouteSummary.listening(route, server.boundAddress(route.name())));
        }
        Optional<HostPort> adminListen = config.admin().listen();
        if (adminListen.isPresent()) {
            try {
                process.admin = AdminServer.start(adminListen.get(), config.admin().token(), server, metrics,
                        process::ready);
            } catch (ProxyStartException e) {
                server.close();
                metrics.close();
                throw e;
            }
            metrics.bindEventLoops(process.admin.eventLoops(), "admin");
            logAdmin(process.admin.localAddress(), config.admin());
        } else {
            log.info("admin listener disabled (proxy.admin.listen is empty)");
        }
        process.ready = true;
        return process;
    }

    private static void logAdmin(InetSocketAddress bound, AdminConfig admin) {
        log.info("admin listening on {}: GET /metrics /healthz /readyz /routes, POST /routes/{name}/abort|drain{}",
                RouteSummary.format(bound), admin.requiresToken() ? " (bearer token required)" : "");
        if (!admin.requiresToken() && !bound.getAddress().isLoopbackAddress()) {
            log.warn("admin listener on {} has no proxy.admin.token: anyone who reaches it can abort sessions",
                    RouteSummary.format(bound));
        }
    }

    /** Whether the listeners accept: what {@code GET /readyz} reports. */
    public boolean ready() {
        return ready;
    }

    /** Where the admin listener is bound (the real port when it asked for 0); empty when disabled. */
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin).map(AdminServer::localAddress);
    }

    /** The running proxy. */
    public ProxyServer server() {
        return server;
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

    /**
     * Closes every listener and session and stops the event loops, then the admin listener; idempotent,
     * returns when done. {@code /readyz} answers 503 from the moment this begins.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        ready = false;
        server.close();
        if (admin != null) {
            admin.close();
        }
        metrics.close();
        closed = true;
        log.info("linger stopped");
    }
}
