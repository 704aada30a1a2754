package dev.linger.proxy.upstream;

import io.netty.channel.ChannelFuture;

/** A connect in progress to {@code upstream}; {@code future} completes when it succeeded or failed. */
public record UpstreamAttempt(Upstream upstream, ChannelFuture future) {
}
