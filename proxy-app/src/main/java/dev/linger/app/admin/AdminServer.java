package dev.linger.app.admin;

import dev.linger.proxy.ProxyServer;
import dev.linger.proxy.ProxyStartException;
import dev.linger.proxy.config.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin HTTP listener ({@code proxy.admin.listen}; the README's "Admin API"): metrics, health, routes and
 * the calls that abort or drain a route's sessions. It runs on one NIO event loop of its own, so a slow
 * scrape never delays a relayed byte and a busy relay never starves the health check.
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format 0.0.4</li>
 *   <li>{@code GET /healthz}: 200 while the process runs</li>
 *   <li>{@code GET /readyz}: 200 while the listeners accept, 503 once stopping has begun</li>
 *   <li>{@code GET /routes}: JSON, each route's listen and bound address, upstreams, teardown settings
 *       and live sessions</li>
 *   <li>{@code POST /routes/{name}/abort} and {@code POST /routes/{name}/drain}, optionally
 *       {@code ?upstream=HOST:PORT}: end the route's live sessions with trigger {@code admin}, by reset or
 *       gracefully under the linger deadline; JSON with how many sessions were touched</li>
 *   <li>{@code POST /reload}: reads the configuration file again; 200 with what changed, or 422 with
 *       every problem (nothing changed then)</li>
 * </ul>
 *
 * <p>Errors are one line of text: 400, 401/403 (POST without or with a wrong
 * {@code proxy.admin.token}), 404, 405 with {@code Allow}, 413 for a body over
 * {@value AdminInitializer#MAX_BODY_BYTES} bytes.
 */
public final class AdminServer implements AutoCloseable {

    private static final long BIND_TIMEOUT_SECONDS = 10;
    private static final long STOP_TIMEOUT_SECONDS = 5;

    private final EventLoopGroup group;
    private final EventExecutorGroup calls;
    private final Channel serverChannel;

    private AdminServer(EventLoopGroup group, EventExecutorGroup calls, Channel serverChannel) {
        this.group = group;
        this.calls = calls;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds the admin listener on {@code listen}; returns once it accepts.
     *
     * @param listen  where to bind ({@code proxy.admin.listen})
     * @param token   {@code proxy.admin.token}; empty when POST calls need none
     * @param server  the running proxy whose routes it shows and acts on
     * @param metrics the registry {@code /metrics} exposes
     * @param ready   what {@code /readyz} reports
     * @param reload  reloads the configuration file, for {@code POST /reload}
     * @throws ProxyStartException when the address cannot be bound; its message is one line, and
     *                             nothing is left running
     */
    public static AdminServer start(HostPort listen, String token, ProxyServer server, PrometheusMetrics metrics,
            BooleanSupplier ready, Supplier<Reload> reload) throws ProxyStartException {
        AdminApi api = new AdminApi(new ServerRouteTable(server), metrics::scrape, ready, token, reload);
        return bind(listen, api);
    }

    static AdminServer bind(HostPort listen, AdminApi api) throws ProxyStartException {
        String where = "proxy.admin.listen: '" + listen + "'";
        InetSocketAddress address = listen.resolve();
        if (address.isUnresolved()) {
            throw new ProxyStartException(where + " (expected: an address this host can bind: unknown host)", null);
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("linger-admin"),
                NioIoHandler.newFactory());
        // The calls themselves (a scrape, a reload that reads a file and binds) run here, not on the I/O loop.
        EventExecutorGroup calls = new DefaultEventExecutorGroup(1, new DefaultThreadFactory("linger-admin-api"));
        ChannelFuture bind = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new AdminInitializer(api, calls))
                .bind(address);
        if (!bind.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bind.isSuccess()) {
            bind.channel().close();
            stop(group);
            stop(calls);
            Throwable cause = bind.cause();
            String reason = cause == null ? "timed out" : String.valueOf(cause.getMessage());
            throw new ProxyStartException(where + " (expected: an address this host can bind: " + reason + ")", cause);
        }
        return new AdminServer(group, calls, bind.channel());
    }

    /** The address the listener is bound to (the real port when it asked for 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The admin event loop, for the event-loop metrics binder. */
    public Iterable<EventExecutor> eventLoops() {
        return group;
    }

    /** Stops listening, closes open admin connections and stops the event loop; returns when done. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        stop(group);
        stop(calls);
    }

    private static void stop(EventExecutorGroup group) {
        group.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(STOP_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }
}
