package dev.linger.app.admin;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of an admin connection, in order: read timeout, HTTP codec, keep-alive, body limit,
 * {@link AdminHandler} (on its own executor).
 */
final class AdminInitializer extends ChannelInitializer<SocketChannel> {

    /** No call takes a body; a few KiB leave room for a client that sends an empty form anyway. */
    static final int MAX_BODY_BYTES = 4096;
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    /** A keep-alive scraper comes back every scrape interval; a silent client is dropped after this. */
    private static final int READ_TIMEOUT_SECONDS = 60;

    private final AdminApi api;
    private final EventExecutorGroup calls;

    /**
     * @param calls where {@link AdminHandler} runs: off the admin I/O loop, since a reload reads a file and
     *              binds listeners, which blocks
     */
    AdminInitializer(AdminApi api, EventExecutorGroup calls) {
        this.api = api;
        this.calls = calls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("read-timeout", new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        pipeline.addLast("http-codec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE).setMaxHeaderSize(MAX_HEADERS)));
        pipeline.addLast("keep-alive", new HttpServerKeepAliveHandler());
        pipeline.addLast("body-limit", new BodyLimit(MAX_BODY_BYTES));
        pipeline.addLast(calls, "admin", new AdminHandler(api));
    }
}
