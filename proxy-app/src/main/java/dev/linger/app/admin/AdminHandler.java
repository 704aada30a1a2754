package dev.linger.app.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an admin connection: hands each whole request to {@link AdminApi} and writes its
 * answer. A request the codec could not parse gets 400 and the connection is closed, since the decoder
 * cannot find the next request after a broken one; a failure inside a call gets 500 and a log line,
 * never a stack trace to the client.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    private final AdminApi api;

    AdminHandler(AdminApi api) {
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            // Netty's reason is written for developers ("text is empty (possibly HTTP/0.9)"): log it only.
            log.debug("admin: malformed request from {}: {}", ctx.channel().remoteAddress(), decoded.cause());
            respond(ctx, Answer.text(HttpResponseStatus.BAD_REQUEST,
                    "malformed request (expected: an HTTP/1.x request line and headers)"), true);
            return;
        }
        Answer answer;
        try {
            answer = api.handle(request.method(), request.uri(), request.headers());
        } catch (RuntimeException e) {
            log.warn("admin {} {} failed", request.method(), Text.quote(request.uri()), e);
            answer = Answer.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error; the proxy's log has the details");
        }
        respond(ctx, answer, !HttpUtil.isKeepAlive(request));
    }

    /** Writes {@code answer}; closes the connection after it when {@code close}. */
    static void respond(ChannelHandlerContext ctx, Answer answer, boolean close) {
        FullHttpResponse response = response(answer);
        if (close) {
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    static FullHttpResponse response(Answer answer) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client that went away or sat idle past the read timeout: nothing to answer, nothing to alarm.
        log.debug("admin connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
