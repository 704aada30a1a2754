package dev.linger.proxy.session;

import dev.linger.proxy.config.ProxyProtocolVersion;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;

/**
 * The handlers of a session's two pipelines, in order, and their names.
 * <ul>
 *   <li>client: {@value #PROXY_HEADER_GUARD} and {@value #PROXY_HEADER} on routes that accept PROXY protocol
 *       (the decoder removes itself once the header is read), then {@value #RELAY};
 *   <li>upstream: {@value #PROXY_HEADER} (the encoder) on routes that send PROXY protocol, then
 *       {@value #RELAY}. Without the encoder the relay handler is the bootstrap's own handler, under the
 *       name Netty gives it ({@code RelayHandler#0}): an initializer per connection only to rename it would
 *       cost an add and a remove on every connect.
 * </ul>
 */
final class SessionPipelines {

    static final String PROXY_HEADER_GUARD = "proxy-header-guard";
    static final String PROXY_HEADER = "proxy-header";
    static final String RELAY = "relay";

    private SessionPipelines() {
    }

    /** What each upstream channel tried gets as its bootstrap's handler. */
    static ChannelHandler upstream(ProxyProtocolVersion send, RelayHandler relay) {
        if (send == ProxyProtocolVersion.OFF) {
            return relay;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(PROXY_HEADER, HAProxyMessageEncoder.INSTANCE).addLast(RELAY, relay);
            }
        };
    }
}
