package dev.linger.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** One connect to one upstream, no retry. */
final class SingleAttempt implements UpstreamAttempt {

    private final Upstream upstream;
    private final Promise<Channel> connected;
    private final ChannelFuture connect;

    SingleAttempt(Upstream upstream, Bootstrap template, EventLoop loop, Supplier<ChannelHandler> pipeline,
            Consumer<Channel> opened, Runnable failed) {
        this.upstream = upstream;
        this.connected = loop.newPromise();
        this.connect = template.clone(loop).handler(pipeline.get()).connect(upstream.address());
        opened.accept(connect.channel());
        connect.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                if (!connected.trySuccess(done.channel())) {
                    done.channel().close(); // cancelled meanwhile
                }
            } else {
                failed.run();
                connected.tryFailure(done.cause());
            }
        });
    }

    @Override
    public Future<Channel> connected() {
        return connected;
    }

    @Override
    public Upstream upstream() {
        return upstream;
    }

    @Override
    public void cancel() {
        if (connected.tryFailure(new IllegalStateException("upstream connect abandoned"))) {
            connect.channel().close();
        }
    }

    @Override
    public void release() {
        // round-robin keeps no per-upstream load
    }
}
