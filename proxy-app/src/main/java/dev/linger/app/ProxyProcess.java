package dev.linger.app;

import dev.linger.app.admin.AdminServer;
import dev.linger.app.admin.PrometheusMetrics;
import dev.linger.app.admin.Reload;
import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.AdminConfig;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.ConfigLoader;
import dev.linger.proxy.config.ConfigProblems;
import dev.linger.proxy.route.BindFailedException;
import dev.linger.proxy.route.ReloadResult;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy, from start to stop (the README's "Lifecycle"): creates the meter registry, starts the
 * {@link ProxyServer} and then the {@link AdminServer}, reloads the configuration file on SIGHUP and
 * {@code POST /reload}, and on SIGTERM or SIGINT drains: listeners close at once and {@code /readyz}
 * answers 503, live sessions go on until they end or {@code shutdown-timeout} passes, the rest end with
 * trigger {@code shutdown} under their route's policy (spread over {@code shutdown-spread}), then
 * everything closes, the admin listener last. A second signal cuts the wait short and resets every
 * session; a third exits at once.
 */
public final class ProxyProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyProcess.class);

    private final ProxyServer server;
    private final PrometheusMetrics metrics;
    private final ReloadCounter reloads;
    private final Path configFile; // null when started from a configuration that no file holds
    private volatile ProxyConfig config;
    // Counted down by the second stop signal: the drain stops waiting and resets what is left.
    private final CountDownLatch cutShort = new CountDownLatch(1);
    private AdminServer admin; // set once in start(), before the process is handed out
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    // Read by the admin event loop for /readyz: true once everything listens, false from the start of close().
    private volatile boolean ready;
    // Written under the lock by close(), read without it so a second signal is never stuck behind close().
    private volatile boolean closed;

    private ProxyProcess(ProxyServer server, PrometheusMetrics metrics, ProxyConfig config, Path configFile) {
        this.server = server;
        this.metrics = metrics;
        this.config = config;
        this.configFile = configFile;
        this.reloads = new ReloadCounter(metrics.registry());
    }

    /**
     * Starts the proxy for {@code config}: every route listens, and the admin listener too unless
     * {@code proxy.admin.listen} is empty, when this returns.
     *
     * @throws ProxyStartException if it cannot start (a listener or the admin listener cannot bind); the
     *                             message is one line, and nothing is left running
     */
    public static ProxyProcess start(ProxyConfig config) throws ProxyStartException {
        return start(config, null);
    }

    /**
     * Starts the proxy for {@code config}, read from {@code configFile}, which reloads read again.
     *
     * @throws ProxyStartException if it cannot start; the message is one line, and nothing is left running
     */
    public static ProxyProcess start(ProxyConfig config, Path configFile) throws ProxyStartException {
        PrometheusMetrics metrics = PrometheusMetrics.create();
        ProxyServer server;
        try {
            server = ProxyServer.start(config, metrics.registry());
        } catch (ProxyStartException e) {
            metrics.close();
            throw e;
        }
        ProxyProcess process = new ProxyProcess(server, metrics, config, configFile);
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
                        process::ready, process::reload);
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
        log.info("admin listening on {}: GET /metrics /healthz /readyz /routes, POST /routes/{name}/abort|drain"
                        + " /reload{}",
                RouteSummary.format(bound), admin.requiresToken() ? " (bearer token required)" : "");
        if (!admin.requiresToken() && !bound.getAddress().isLoopbackAddress()) {
            log.warn("admin listener on {} has no proxy.admin.token: anyone who reaches it can abort sessions",
                    RouteSummary.format(bound));
        }
    }

    /** Whether the listeners accept: what {@code GET /readyz} reports. */
    boolean ready() {
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
     * Reads the configuration file again and applies it (SIGHUP, {@code POST /reload}). A file with any
     * problem, or a listener that cannot bind, changes nothing: every problem is logged, one line each,
     * and counted as {@code result=failure}. Settings that only a restart can change are logged.
     */
    public synchronized Reload reload() {
        Reload outcome = attemptReload();
        reloads.count(outcome);
        if (outcome.success()) {
            log.info("reload: added {}, changed {}, removed {}, unchanged {}", outcome.added(), outcome.changed(),
                    outcome.removed(), outcome.unchanged());
            if (!outcome.restartNeeded().isEmpty()) {
                log.warn("reload: {} changed but take effect only at a restart", outcome.restartNeeded());
            }
        } else {
            log.error("reload failed, nothing changed: {}", String.join("; ", outcome.problems()));
        }
        return outcome;
    }

    private Reload attemptReload() {
        if (closed || !ready) {
            return Reload.failed(List.of("the proxy is stopping (expected: a running proxy)"));
        }
        if (configFile == null) {
            return Reload.failed(List.of("no configuration file to reload (expected: a proxy started with --config)"));
        }
        ProxyConfig next;
        try {
            next = ConfigLoader.load(configFile);
        } catch (ConfigProblems e) {
            return Reload.failed(e.problems());
        }
        List<String> restartNeeded = new ArrayList<>(server.restartNeededFor(next));
        if (!next.admin().equals(config.admin())) {
            restartNeeded.add("proxy.admin");
        }
        ReloadResult result;
        try {
            result = server.reload(next);
        } catch (BindFailedException e) {
            return Reload.failed(List.of(e.getMessage()));
        }
        config = next;
        result.added().forEach(name -> next.routes().stream().filter(route -> route.name().equals(name))
                .forEach(route -> log.info("{}", RouteSummary.listening(route, server.boundAddress(name)))));
        return new Reload(true, result.added(), result.changed(), result.removed(), result.unchanged(),
                restartNeeded, List.of());
    }

    /**
     * Blocks until {@link #requestStop} (which the command line's {@link SignalTarget} calls on SIGTERM or
     * SIGINT), then drains and closes the proxy. Returns once it is closed; the caller then exits 0.
     */
    public void runUntilStopped() {
        // Where a signal could not be taken over, the JVM's own shutdown still closes the server.
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "linger-shutdown"));
        } catch (IllegalStateException e) { // that shutdown has begun already
            close();
            return;
        }
        try {
            stopRequested.await(); // the main thread, which has nothing else to do; never an event loop
            drain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /**
     * Stops accepting, lets live sessions end by themselves within {@code shutdown-timeout}, then ends
     * the rest with trigger shutdown under their route's policy, spread over {@code shutdown-spread}.
     */
    void drain() throws InterruptedException {
        ready = false;
        server.stopAccepting();
        ProxyConfig now = config;
        log.info("draining: listeners closed, {} live session(s), waiting up to {}", server.liveSessions(),
                now.shutdownTimeout());
        if (awaitSessions(now.shutdownTimeout())) {
            log.info("draining: every session ended by itself");
            return;
        }
        if (cutShort.getCount() > 0) {
            log.info("draining: shutdown-timeout passed, ending {} session(s) with trigger shutdown over {}",
                    server.liveSessions(), now.shutdownSpread());
            server.shutdownSessions(now.shutdownSpread());
            awaitSessions(now.shutdownSpread().plus(server.longestLinger()).plusSeconds(1));
        }
        if (cutShort.getCount() == 0 && server.liveSessions() > 0) {
            log.info("draining cut short: resetting {} session(s)", server.liveSessions());
            server.abortSessions();
        }
    }

    /** Waits until no session is live, {@code limit} passes, or a second signal cuts the wait short. */
    private boolean awaitSessions(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (server.liveSessions() > 0 && System.nanoTime() < deadline) {
            if (cutShort.await(10, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        return server.liveSessions() == 0;
    }

    /**
     * Asks {@link #runUntilStopped} to stop. A second request cuts the drain short (every session is
     * reset); a third exits at once, so an operator can always end a shutdown that hangs.
     */
    void requestStop(String reason) {
        if (stopReason.compareAndSet(null, reason)) {
            log.info("{}: stopping", reason);
            stopRequested.countDown();
        } else if (cutShort.getCount() > 0) {
            log.warn("{} while draining: resetting every session", reason);
            cutShort.countDown();
        } else if (!closed) {
            log.warn("{} again while stopping: exiting now", reason);
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
