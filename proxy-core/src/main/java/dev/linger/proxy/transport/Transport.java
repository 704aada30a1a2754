package dev.linger.proxy.transport;

import dev.linger.proxy.config.TransportKind;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.function.Supplier;

/**
 * The I/O transport the proxy runs on: the event-loop handler and the channel classes that go with it.
 * {@code auto} picks epoll where the native library loads and falls back to NIO; naming a native
 * transport that cannot load is an error, never a silent fallback.
 */
public record Transport(
        String name,
        Supplier<IoHandlerFactory> ioHandlerFactory,
        Class<? extends ServerChannel> serverChannelClass,
        Class<? extends SocketChannel> socketChannelClass,
        Class<? extends DatagramChannel> datagramChannelClass) {

    /**
     * The largest single read of a session socket. Netty's default is 64 KiB; a bulk stream read in 64 KiB
     * pieces cost linger about twice HAProxy's CPU per byte on loopback (one iperf3 stream, 1 thread:
     * 10.5-12.4 Gb/s at 84-97% of a core against HAProxy's 14.4-17.1 at 56-71%). Reads of up to 512 KiB
     * made 15-17 Gb/s; 1 MiB a little more, but a session under backpressure may hold about one read beyond
     * its write watermark, so 512 KiB.
     * Small messages are unaffected: the allocator only grows a socket's guess when reads fill it.
     */
    public static final int MAX_READ_BYTES = 512 * 1024;

    /**
     * How every session socket sizes its reads: Netty's adaptive allocator (its default minimum and first
     * guess, up to {@link #MAX_READ_BYTES}) with its default of up to 16 reads per readiness event, one
     * instance for all sockets instead of one per channel (each channel still keeps its own sizing state).
     */
    public static final RecvByteBufAllocator RECEIVE_BUFFERS =
            new AdaptiveRecvByteBufAllocator(AdaptiveRecvByteBufAllocator.DEFAULT_MINIMUM,
                    AdaptiveRecvByteBufAllocator.DEFAULT_INITIAL, MAX_READ_BYTES).maxMessagesPerRead(16);

    /**
     * What a queued write counts for a session socket's write watermark: the memory its buffer holds (its
     * capacity), not only its readable bytes as Netty's default does. A read gets a buffer of the socket's
     * current guess, up to {@link #MAX_READ_BYTES}, whatever arrives; after a burst the guess stays large
     * for a few reads, so small messages queued for a stalled peer could each hold hundreds of KiB while
     * the watermark saw a few bytes. Counted by capacity, a stalled direction holds at most the watermark
     * plus one read (until the peer's FIN: epoll then reads to the end whatever the backpressure). Bulk reads
     * fill their buffers, so they count the same either way.
     */
    public static final MessageSizeEstimator QUEUED_MEMORY = new QueuedMemoryEstimator();

    /**
     * Ready sockets handled per epoll_wait: the rest wait for the next one, after the loop's due tasks. Netty
     * would take every ready socket at once (thousands when as many upstreams close together) and hold up
     * the loop's timers and other sessions meanwhile. HAProxy's default is 200.
     */
    private static final int EPOLL_EVENTS_PER_WAIT = 256;

    private static final Transport EPOLL = new Transport("epoll",
            () -> EpollIoHandler.newFactory(EPOLL_EVENTS_PER_WAIT, DefaultSelectStrategyFactory.INSTANCE),
            EpollServerSocketChannel.class, EpollSocketChannel.class, EpollDatagramChannel.class);
    private static final Transport IO_URING = new Transport("io_uring", IoUringIoHandler::newFactory,
            IoUringServerSocketChannel.class, IoUringSocketChannel.class, IoUringDatagramChannel.class);
    private static final Transport NIO = new Transport("nio", NioIoHandler::newFactory,
            NioServerSocketChannel.class, NioSocketChannel.class, NioDatagramChannel.class);

    /**
     * The transport for {@code kind}.
     *
     * @throws TransportUnavailableException when {@code kind} names a native transport that cannot load here
     */
    public static Transport select(TransportKind kind) throws TransportUnavailableException {
        switch (kind) {
            case AUTO:
                return Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new TransportUnavailableException(kind, Epoll.unavailabilityCause());
                }
                return EPOLL;
            case IO_URING:
                if (!IoUring.isAvailable()) {
                    throw new TransportUnavailableException(kind, IoUring.unavailabilityCause());
                }
                return IO_URING;
            case NIO:
                return NIO;
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Whether listeners and sessions run on sockets registered on the event loop directly, without Netty's
     * channels (epoll: each event loop listens with a socket of its own on a route's port, {@code SO_REUSEPORT},
     * so that a connection is accepted on the loop that serves it). Elsewhere sessions are channels.
     */
    public boolean socketsWithoutChannels() {
        return this == EPOLL;
    }
}
