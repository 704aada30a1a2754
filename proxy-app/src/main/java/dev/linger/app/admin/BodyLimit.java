package dev.linger.app.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates a request with its body, up to a small limit: no admin call takes a body, so anything
 * larger is refused with 413 and a one-line reason instead of Netty's empty 413, whether the client
 * sent the body at once or asked first with {@code Expect: 100-continue}.
 */
final class BodyLimit extends HttpObjectAggregator {

    private final int maxBytes;

    BodyLimit(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full
                && HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.equals(full.status())) {
            full.release();
            return AdminHandler.response(tooLarge());
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // As Netty does: once part of the body has been aggregated, or when the client will not wait for
        // 100-continue on a connection it wants closed anyway, close after answering; otherwise keep the
        // connection, and the aggregator discards the rest of the body.
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        AdminHandler.respond(ctx, tooLarge(), close);
    }

    private Answer tooLarge() {
        return Answer.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body over " + maxBytes + " bytes (expected: no body)");
    }
}
