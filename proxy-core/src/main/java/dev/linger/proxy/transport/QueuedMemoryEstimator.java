package dev.linger.proxy.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;

/** Sizes a queued write by the memory it holds: a buffer's capacity (see {@link Transport#QUEUED_MEMORY}). */
final class QueuedMemoryEstimator implements MessageSizeEstimator {

    private static final Handle HANDLE = new Handle() {
        private final Handle otherwise = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object msg) {
            if (msg instanceof ByteBuf bytes) {
                return bytes.capacity();
            }
            if (msg instanceof ByteBufHolder holder) {
                return holder.content().capacity();
            }
            return otherwise.size(msg); // a FileRegion counts 0, anything else Netty's default
        }
    };

    @Override
    public Handle newHandle() {
        return HANDLE; // stateless: one for every channel
    }
}
