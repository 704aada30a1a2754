package dev.linger.proxy.upstream;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A session's upstream connect: one try on the upstream the balancer picks and, when it fails, a try
 * on the next one it has not tried yet, up to the route's {@code connect-retries}. Each try is bounded
 * by {@code connect-timeout}, timed here rather than by Netty, whose timer would stay referenced by
 * the channel for the session's whole life. A host name is resolved for each try (an IP literal never
 * is), without blocking. Every try counts a connect failure on its upstream when it fails, and
 * holds one unit of that upstream's load from the pick until it fails or the session releases it.
 *
 * <p>Everything runs on the session's event loop (the connects are made there and the session calls
 * {@link #cancel()} and {@link #release()} from there), so the fields need no synchronisation; only
 * the upstream being tried is read from other threads (the admin API).
 */
final class RetryingAttempt<S> implements UpstreamAttempt<S>, Dialer.Dialed<S> {

    private static final IllegalStateException ABANDONED = new IllegalStateException("upstream connect abandoned");

    static {
        ABANDONED.setStackTrace(new StackTraceElement[0]);
    }

    private final UpstreamSelector selector;
    private final Dialer<S> dialer;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final long connectTimeoutNanos;
    private final EventLoop loop;
    private final Consumer<Upstream> failed;
    private final Promise<S> connected;
    private final boolean[] tried;
    private int triesLeft;
    private volatile UpstreamState current;
    private boolean holdingLoad;
    /** The socket of the try in progress, once its dialer answered; null between tries. */
    private S trying;
    /** Counts dials, so that a dial answered after a nested retry does not take the retry's place. */
    private int dials;
    private boolean dialing;
    private ScheduledFuture<?> connectTimeout;
    private boolean timedOut;

    /**
     * Starts the first try at once.
     *
     * @param tries          the most connects to make (each on another upstream)
     * @param dialer         opens the socket of each try
     * @param resolver       resolves host names
     * @param connectTimeout how long each try may take
     * @param failed         is told of each failed try (for the connect-failures counter)
     */
    RetryingAttempt(UpstreamSelector selector, int tries, Dialer<S> dialer,
            AddressResolverGroup<InetSocketAddress> resolver, Duration connectTimeout, EventLoop loop,
            Consumer<Upstream> failed) {
        this.selector = selector;
        this.dialer = dialer;
        this.resolver = resolver;
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.loop = loop;
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
        timedOut = false;
        connectTimeout = loop.schedule(this::timeOut, connectTimeoutNanos, TimeUnit.NANOSECONDS);
        InetSocketAddress address = target.upstream().address();
        if (!address.isUnresolved()) {
            dial(target, address);
            return;
        }
        resolver.getResolver(loop).resolve(address).addListener((Future<InetSocketAddress> resolved) -> {
            if (connected.isDone() || current != target) {
                return; // cancelled, or timed out, while resolving
            }
            if (resolved.isSuccess()) {
                dial(target, resolved.getNow());
            } else {
                failedTry(target, resolved.cause());
            }
        });
    }

    private void dial(UpstreamState target, InetSocketAddress address) {
        int dial = ++dials;
        dialing = true;
        S socket = dialer.dial(target.index(), address, loop, this);
        if (dialing && dial == dials) {
            trying = socket; // still connecting: it did not report at once
        }
    }

    private void timeOut() {
        connectTimeout = null;
        timedOut = true;
        if (trying != null) {
            dialer.abandon(trying); // fails the connect, which reports here
        } else {
            failedTry(current, null); // still resolving
        }
    }

    @Override
    public void dialed(S socket, Throwable failure) {
        if (trying != null && socket != trying) {
            if (failure == null) {
                dialer.abandon(socket); // a try given up on connected after all
            }
            return;
        }
        dialing = false;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        trying = null;
        UpstreamState target = current;
        if (failure == null) {
            selector.connectSucceeded(target);
            if (!connected.trySuccess(socket)) {
                dialer.abandon(socket); // cancelled meanwhile
            }
            return;
        }
        if (connected.isDone()) {
            return; // cancelled: closing our own connect is no failure of the upstream's
        }
        failedTry(target, failure);
    }

    private void failedTry(UpstreamState target, Throwable failure) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        releaseLoad();
        failed.accept(target.upstream());
        selector.connectFailed(target);
        tryNext(timedOut
                ? new ConnectTimeoutException("connection timed out after " + TimeUnit.NANOSECONDS.toMillis(
                        connectTimeoutNanos) + " ms: " + target.upstream().address())
                : failure);
    }

    @Override
    public Future<S> connected() {
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
            if (connectTimeout != null) {
                connectTimeout.cancel(false);
                connectTimeout = null;
            }
            S socket = trying;
            trying = null;
            if (socket != null) {
                dialer.abandon(socket);
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
