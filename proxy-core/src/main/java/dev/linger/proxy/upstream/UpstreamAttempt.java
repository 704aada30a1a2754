package dev.linger.proxy.upstream;

import io.netty.util.concurrent.Future;

/**
 * A session's upstream connect in progress. It may try several upstreams (retries) before it succeeds
 * or gives up; the session sees only the outcome.
 *
 * @param <S> the socket its {@link Dialer} makes
 */
public interface UpstreamAttempt<S> {

    /**
     * Completes, on the session's event loop, with the connected socket, or fails once every try
     * allowed has failed.
     */
    Future<S> connected();

    /** The upstream connected to, or the one being (or last) tried. */
    Upstream upstream();

    /** Abandons the attempt: a connect still in flight is closed. Idempotent. */
    void cancel();

    /** The session that used the connection has ended (upstream load accounting). Idempotent. */
    void release();
}
