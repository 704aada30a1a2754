package dev.linger.proxy.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;

/**
 * An {@link EmbeddedChannel} that can be half-closed, so a session's teardown can run on it, and that takes
 * {@code ALLOW_HALF_CLOSURE} as a socket does: the peer's FIN ({@link #receiveFin}) is an event while it is on,
 * and closes the channel once it is off.
 */
final class EmbeddedDuplexChannel extends EmbeddedChannel implements DuplexChannel {

    private boolean inputShutdown;
    private boolean outputShutdown;
    private boolean peerReads = true;
    // Made by config() on first use: EmbeddedChannel's constructor asks for it before this class's fields are set.
    private HalfClosingConfig config;

    EmbeddedDuplexChannel(ChannelHandler... handlers) {
        super(handlers);
    }

    @Override
    public ChannelConfig config() {
        if (config == null) {
            config = new HalfClosingConfig(this);
        }
        return config;
    }

    boolean allowsHalfClosure() {
        return ((HalfClosingConfig) config()).allowHalfClosure;
    }

    /** Whether the "socket" takes what is flushed (the peer reads), or leaves it queued in Netty's buffer. */
    void peerReads(boolean reads) {
        peerReads = reads;
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (peerReads) {
            super.doWrite(in);
        }
    }

    /** The peer's FIN, delivered as a socket transport of Netty's delivers it. */
    void receiveFin() {
        if (allowsHalfClosure()) {
            pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            close();
        }
    }

    private static final class HalfClosingConfig extends DefaultChannelConfig {
        // The proxy's sockets are all opened with ALLOW_HALF_CLOSURE on.
        private boolean allowHalfClosure = true;

        HalfClosingConfig(Channel channel) {
            super(channel);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getOption(ChannelOption<T> option) {
            return option == ChannelOption.ALLOW_HALF_CLOSURE ? (T) Boolean.valueOf(allowHalfClosure)
                    : super.getOption(option);
        }

        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
            if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
                allowHalfClosure = (Boolean) value;
                return true;
            }
            return super.setOption(option, value);
        }
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        inputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        outputShutdown = true;
        return promise.setSuccess();
    }

    @Override
    public boolean isShutdown() {
        return inputShutdown && outputShutdown;
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        inputShutdown = true;
        outputShutdown = true;
        return promise.setSuccess();
    }
}
