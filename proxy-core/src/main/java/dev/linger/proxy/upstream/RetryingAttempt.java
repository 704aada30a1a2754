package dev.linger.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A session's upstream connect: one try on the upstream the balancer picks and, when it fails, a try
 * on the next one it has not tried yet, up to the route's {@code connect-retries}. Each try is bounded
 * by {@code connect-timeout}, timed here rather than by Netty, whose timer would stay referenced by
 * the channel for the session's whole life. Every try counts a connect failure on its upstream when it fails, and
 * holds one unit of that upstream's load from the pick until it fails or the session releases it.
 *
 * <p>Everything runs on the session's event loop (the connects are made there and the session calls
 * {@link #cancel()} and {@link #release()} from there), so the fields need no synchronisation; only
 * the upstream being tried is read from other threads (the admin API).
 */
final class RetryingAttempt implements UpstreamAttempt {

    private static final IllegalStateException ABANDONED = new IllegalStateException("upstream connect abandoned");

    static {
        ABANDONED.setStackTrace(new StackTraceElement[0]);
    }

    private final UpstreamSelector selector;
    private final Bootstrap[] templates;
    private final long connectTimeoutNanos;
    private final EventLoop loop;
    private final Supplier<ChannelHandler> pipeline;
    private final Consumer<Upstream> failed;
    private final Promise<Channel> connected;
    private final boolean[] tried;
    private int triesLeft;
    private volatile UpstreamState current;
    private boolean holdingLoad;
    private Channel channel;
    private ScheduledFuture<?> connectTimeout;
    private boolean timedOut;

    /**
     * Starts the first try at once.
     *
     * @param tries     the most connects to make (each on another upstream)
     * @param templates per upstream (by index), the bootstrap to connect to it with
     * @param connectTimeout how long each try may take
     * @param pipeline makes the handler of each channel tried
     * @param failed   is told of each failed try (for the connect-failures counter)
     */
    RetryingAttempt(UpstreamSelector selector, int tries, Bootstrap[] templates, Duration connectTimeout,
            EventLoop loop,
            Supplier<ChannelHandler> pipeline, Consumer<Upstream> failed) {
        this.selector = selector;
        this.templates = templates;
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.loop = loop;
        this.pipeline = pipeline;
        this.failed = failed;
        this.connected = loop.newPromise();
        this.tried = new boolean[selector.upstreams().size()];
        this.triesLeft = tries;
        tryNext(selector.noneSelectable());
    }

    private void tryNext(Throwable lastFailure) {
        UpstreamState target = triesLeft > 0 ? selector.pick(tried) : null;
        if (target == null) {
            connected.tryFailure(lastFailure);
            return;
        }
        triesLeft--;
        tried[target.index()] = true;
        current = target;
        target.addLoad();
        holdingLoad = true;
        ChannelFuture connect = templates[target.index()].clone(loop).handler(pipeline.get())
                .connect(target.upstream().address());
        Channel trying = connect.channel();
        channel = trying;
        timedOut = false;
        if (!connect.isDone()) {
            connectTimeout = loop.schedule(() -> {
                timedOut = true;
                trying.close(); // fails the connect
            }, connectTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        connect.addListener((ChannelFuture done) -> tried(target, done));
    }

    private void tried(UpstreamState target, ChannelFuture done) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        if (done.isSuccess()) {
            selector.connectSucceeded(target);
            if (!connected.trySuccess(done.channel())) {
                done.channel().close(); // cancelled meanwhile
            }
            return;
        }
        if (connected.isDone()) {
            return; // cancelled: closing our own connect is no failure of the upstream's
        }
        releaseLoad();
        failed.accept(target.upstream());
        selector.connectFailed(target);
        tryNext(timedOut
                ? new ConnectTimeoutException("connection timed out after " + TimeUnit.NANOSECONDS.toMillis(
                        connectTimeoutNanos) + " ms: " + target.upstream().address())
                : done.cause());
    }

    @Override
    public Future<Channel> connected() {
        return connected;
    }

    /** The upstream connected to or being tried; null when none could be picked at all. */
    @Override
    public Upstream upstream() {
        UpstreamState target = current;
        return target == null ? null : target.upstream();
    }

    @Override
    public void cancel() {
        if (connected.tryFailure(ABANDONED)) {
            releaseLoad();
            if (channel != null) {
                channel.close();
            }
        }
    }

    @Override
    public void release() {
        releaseLoad();
    }

    private void releaseLoad() {
        if (holdingLoad) {
            holdingLoad = false;
            current.removeLoad();
        }
    }
}
