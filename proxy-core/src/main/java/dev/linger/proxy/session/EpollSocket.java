package dev.linger.proxy.session;

import dev.linger.proxy.transport.DrainProbe;
import dev.linger.proxy.transport.Transport;
import dev.linger.proxy.upstream.Dialer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session socket registered on the epoll event loop directly: no channel, pipeline, promise per write or
 * outbound buffer object, and an interest set the proxy owns outright.
 *
 * <p>The socket is registered once with EPOLLIN, EPOLLOUT and EPOLLRDHUP, edge-triggered, and the set never
 * changes: no {@code epoll_ctl} after the first. Under EPOLLET the kernel reports each change once (bytes
 * arrived, room freed, the peer's FIN), so the socket keeps what the edges told it: whether unread bytes may
 * wait ({@code readable}) and whether the peer's FIN is behind them. Backpressure is the relay not reading
 * (the bytes stay in the kernel and TCP's window closes); reading again resumes from what is remembered. A
 * socket shut both ways does not wake the loop again, so nothing needs undoing after a half-closure.
 *
 * <p>Reads go into direct buffers of the shared allocator, sized by a guess that doubles after a read that
 * fills its buffer (up to {@link Transport#MAX_READ_BYTES}) and halves after one that fills less than half;
 * at most {@value #READS_PER_EVENT} reads per event, then the loop's other work goes first. What is written
 * is queued and flushed with one {@code writev}; what the kernel does not take waits for the EPOLLOUT edge.
 * The write watermarks are Netty's defaults, counted by buffer capacity as on the channels
 * ({@link Transport#QUEUED_MEMORY}).
 *
 * <p>Everything runs on the socket's event loop.
 */
final class EpollSocket implements SessionSocket, EpollIoHandle, Runnable {

    private static final Logger log = LoggerFactory.getLogger(EpollSocket.class);

    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT)
            .with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);
    private static final int OUT = EpollIoOps.EPOLLOUT.value();
    private static final int RDHUP = EpollIoOps.EPOLLRDHUP.value();
    private static final int ERR = EpollIoOps.EPOLLERR.value();

    private static final int READS_PER_EVENT = 16;
    private static final int MIN_READ = 16 * 1024;
    /** IPPROTO_TCP and its TCP_CORK and TCP_INFO options (Linux netinet/tcp.h). */
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CORK = 3;
    private static final int TCP_INFO = 11;

    /** Per event-loop thread: room for the first byte of tcp_info. */
    private static final FastThreadLocal<ByteBuffer> TCP_STATE = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocateDirect(8);
        }
    };

    private final IoEventLoop loop;
    private final LinuxSocket fd;
    private final SocketAddress remote;
    private final SessionChannels channels;
    private Session session;
    private Side side;
    private IoRegistration registration;
    /** Until the connect completes (upstream sockets): who hears of it. */
    private Dialer.Dialed<SessionSocket> connecting;
    private boolean connectedAtOnce;

    private boolean reading = true;
    /** An edge said bytes (or the FIN) may wait unread. */
    private boolean readable;
    private boolean readScheduled;
    /** The peer's FIN has arrived (EPOLLRDHUP): once the bytes before it are read, it is what remains. */
    private boolean finArrived;
    private boolean inputShut;
    private int readGuess = MIN_READ;

    private final WriteQueue out = new WriteQueue();
    /** A half-close waiting for the queue to drain, and whom to tell how it went. */
    private Runnable finSent;
    private Consumer<Throwable> finFailed;
    private boolean closed;
    /** On routes that accept PROXY protocol, until the client's header is in. */
    private ProxyHeaderCodec headerDecoder;

    private EpollSocket(IoEventLoop loop, LinuxSocket fd, SocketAddress remote, SessionChannels channels) {
        this.loop = loop;
        this.fd = fd;
        this.remote = remote;
        this.channels = channels;
        channels.added();
    }

    /** An accepted client socket; {@link #start} registers it once its session exists. */
    static EpollSocket accepted(IoEventLoop loop, LinuxSocket fd, SocketAddress remote, SessionChannels channels) {
        return new EpollSocket(loop, fd, remote, channels);
    }

    /**
     * Starts connecting a new socket to {@code address} for {@code session}'s upstream; {@code done} hears how it
     * went, on the loop, after this returns.
     */
    static EpollSocket connect(IoEventLoop loop, InetSocketAddress address, Session session, SessionChannels channels,
            Dialer.Dialed<SessionSocket> done) {
        LinuxSocket fd = LinuxSocket.newSocketStream(address.getAddress() instanceof Inet6Address);
        EpollSocket socket = new EpollSocket(loop, fd, address, channels);
        socket.connecting = done;
        try {
            fd.setTcpNoDelay(true);
            socket.connectedAtOnce = fd.connect(address);
            socket.start(session, Side.UPSTREAM);
        } catch (IOException | RuntimeException e) {
            socket.connectFailed(e);
        }
        return socket;
    }

    /** Registers the socket for {@code session}'s {@code side}; its events flow from the next loop turn on. */
    void start(Session owner, Side as) throws IOException {
        Future<IoRegistration> registered = loop.register(this);
        if (!registered.isSuccess()) {
            throw new IOException("event loop refused the socket", registered.cause());
        }
        registration = registered.getNow();
        registration.submit(INTEREST);
        this.session = owner;
        this.side = as;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public boolean isConnection(Object connection) {
        return connection == this;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public SocketAddress localAddress() {
        return fd.localAddress();
    }

    /** The client opens with a PROXY header: what it sends is decoded until the header is in. */
    void decodeProxyHeader() {
        headerDecoder = new ProxyHeaderCodec();
    }

    @Override
    public void dropProxyHeaderDecoder() {
        if (headerDecoder != null) {
            headerDecoder.close();
            headerDecoder = null;
        }
    }

    @Override
    public void handle(IoRegistration ignored, IoEvent event) {
        if (closed) {
            return;
        }
        int ops = ((EpollIoEvent) event).ops().value();
        if (connecting != null) {
            finishConnect();
            if (closed || connecting != null) {
                return;
            }
        }
        if ((ops & ~OUT) != 0) {
            readable = true; // bytes, a FIN, a hang-up or an error: a read tells which
        }
        if ((ops & RDHUP) != 0) {
            finArrived = true;
        }
        if ((ops & OUT) != 0 && out.hasFlushed()) {
            writeOut();
        }
        if ((ops & ERR) != 0 && (!reading || inputShut) && !closed) {
            reportPendingError(); // no read will come to surface it (a reset behind unread bytes, or after the FIN)
        }
        readNow();
    }

    /** The read continued after {@value #READS_PER_EVENT} reads, or resumed. */
    @Override
    public void run() {
        readScheduled = false;
        readNow();
    }

    private void readNow() {
        boolean any = false;
        boolean fin = false;
        int reads = 0;
        while (readable && reading && !closed && !inputShut) {
            if (reads == READS_PER_EVENT) {
                scheduleRead();
                break;
            }
            ByteBuf buffer = ByteBufAllocator.DEFAULT.directBuffer(readGuess);
            int n;
            try {
                n = receive(buffer);
            } catch (IOException e) {
                buffer.release();
                if (any) {
                    session.readComplete(side);
                }
                failed(e);
                return;
            }
            if (n <= 0) {
                buffer.release();
                readable = false;
                fin = n < 0; // 0: nothing more for now (EAGAIN)
                break;
            }
            reads++;
            any = true;
            buffer.writerIndex(n);
            boolean full = n == buffer.capacity();
            resize(full, n);
            if (!full) {
                readable = false; // the kernel had no more: the next arrival is a new edge
                fin = finArrived; // nothing can follow the FIN: no read needed to see it
            }
            deliver(buffer);
            if (fin) {
                break;
            }
        }
        if (closed) {
            return;
        }
        if (any) {
            session.readComplete(side);
        }
        if (fin && !closed && !inputShut) {
            inputShut = true;
            if (headerDecoder != null && !headerEnded()) {
                return;
            }
            session.inputShutdown(side);
        }
    }

    /** What was read goes to the session, through the PROXY header's decoder while it runs. */
    private void deliver(ByteBuf bytes) {
        if (headerDecoder == null) {
            session.read(side, bytes);
            return;
        }
        try {
            if (headerDecoder.decode(bytes, session, side)) {
                dropProxyHeaderDecoder();
            }
        } catch (RuntimeException e) { // a DecoderException: the header is malformed
            session.failed(side, e);
        }
    }

    /** The FIN came while the header was still decoded: answers whether the session still hears of the FIN. */
    private boolean headerEnded() {
        try {
            headerDecoder.inputShutdown();
            return true;
        } catch (RuntimeException e) {
            session.failed(side, e);
            return !closed;
        }
    }

    private int receive(ByteBuf buffer) throws IOException {
        if (buffer.hasMemoryAddress()) {
            return fd.recvAddress(buffer.memoryAddress(), 0, buffer.capacity());
        }
        ByteBuffer nio = buffer.internalNioBuffer(0, buffer.capacity());
        return fd.recv(nio, nio.position(), nio.limit());
    }

    private void resize(boolean full, int read) {
        if (full) {
            readGuess = Math.min(readGuess * 2, Transport.MAX_READ_BYTES);
        } else if (read < readGuess / 2) {
            readGuess = Math.max(readGuess / 2, MIN_READ);
        }
    }

    private void scheduleRead() {
        if (!readScheduled) {
            readScheduled = true;
            loop.execute(this);
        }
    }

    /** An error the kernel holds for the socket (a reset, say), reported without reading. */
    private void reportPendingError() {
        try {
            int error = fd.getSoError();
            if (error != 0) {
                failed(Errors.newIOException("getsockopt(SO_ERROR)", -error));
            }
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void read(boolean on) {
        reading = on;
        if (on && readable && !inputShut && !closed && connecting == null) {
            scheduleRead(); // no new edge comes for what already waits
        }
    }

    @Override
    public void write(Object message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        ByteBuf bytes = message instanceof HAProxyMessage header ? ProxyHeaderCodec.encode(header) : (ByteBuf) message;
        if (!bytes.isDirect() || bytes.nioBufferCount() != 1) { // what writev needs
            ByteBuf direct = ByteBufAllocator.DEFAULT.directBuffer(bytes.readableBytes());
            direct.writeBytes(bytes);
            bytes.release();
            bytes = direct;
        }
        out.add(bytes);
    }

    @Override
    public void flush() {
        if (closed || connecting != null) {
            return;
        }
        out.flushAll();
        if (out.hasFlushed()) {
            writeOut();
        }
    }

    /** Writes what is flushed, as far as the kernel takes it, then the FIN a half-close waits with. */
    private void writeOut() {
        boolean all;
        try {
            all = out.writeTo(fd);
        } catch (IOException e) {
            failed(e);
            return;
        }
        if (out.becameWritable()) {
            session.writabilityChanged(side);
        }
        if (all && finSent != null && !closed) {
            sendFin();
        }
    }

    @Override
    public boolean writable() {
        return out.writable();
    }

    @Override
    public long queuedBytes() {
        return out.flushedBytes();
    }

    @Override
    public void halfClose(boolean withLastBytes, Runnable sent, Consumer<Throwable> failed) {
        if (closed) {
            failed.accept(new ClosedChannelException());
            return;
        }
        if (withLastBytes) {
            try {
                fd.setIntOpt(IPPROTO_TCP, TCP_CORK, 1);
            } catch (IOException e) {
                log.trace("TCP_CORK not set", e); // uncorked, the bytes just go now
            }
        }
        finSent = sent;
        finFailed = failed;
        out.flushAll();
        if (!out.hasFlushed()) {
            sendFin();
        } else {
            writeOut(); // sends the FIN once the queue is empty, now or at EPOLLOUT
        }
    }

    private void sendFin() {
        Runnable sent = finSent;
        Consumer<Throwable> failed = finFailed;
        finSent = null;
        finFailed = null;
        try {
            fd.shutdown(false, true);
        } catch (IOException e) {
            failed.accept(e);
            return;
        }
        sent.run();
    }

    @Override
    public DrainProbe.Drain drain(boolean peerFinReceived) {
        if (closed) {
            return DrainProbe.Drain.UNKNOWN;
        }
        ByteBuffer state = TCP_STATE.get();
        state.clear().limit(1); // tcpi_state, the first byte of tcp_info
        try {
            fd.getRawOpt(IPPROTO_TCP, TCP_INFO, state);
        } catch (IOException e) {
            return DrainProbe.Drain.UNKNOWN;
        }
        return DrainProbe.ofTcpState(state.get(0) & 0xff);
    }

    /** The peer's FIN is always reported here: nothing to gain from closing at it. */
    @Override
    public void closeAtPeerFin() {
    }

    @Override
    public boolean closesAtPeerFin() {
        return false;
    }

    @Override
    public void resumeStalledWrites() {
    }

    @Override
    public void reset() {
        if (!closed) {
            try {
                fd.setSoLinger(0);
            } catch (IOException e) {
                log.trace("SO_LINGER=0 not set", e); // no socket to set it on: close() is all there is
            }
            close();
        }
    }

    /** Also what the event loop calls when it closes with the socket still registered. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        release();
        Dialer.Dialed<SessionSocket> abandoned = connecting;
        connecting = null;
        if (abandoned != null) {
            abandoned.dialed(this, new ClosedChannelException());
        } else if (session != null) {
            session.closed(side, this);
        }
    }

    /** Closes the descriptor (first, so that leaving epoll needs no system call) and drops what is queued. */
    private void release() {
        closed = true;
        finSent = null;
        finFailed = null;
        dropProxyHeaderDecoder();
        out.release();
        try {
            fd.close();
        } catch (IOException e) {
            log.trace("close failed", e);
        }
        if (registration != null) {
            registration.cancel();
        }
        channels.removed();
    }

    private void finishConnect() {
        try {
            if (!connectedAtOnce && !fd.finishConnect()) {
                return; // still in progress
            }
        } catch (IOException e) {
            connectFailed(e);
            return;
        }
        Dialer.Dialed<SessionSocket> done = connecting;
        connecting = null;
        done.dialed(this, null);
    }

    private void connectFailed(Throwable cause) {
        Dialer.Dialed<SessionSocket> done = connecting;
        connecting = null;
        if (!closed) {
            release();
        }
        if (done != null) {
            loop.execute(() -> done.dialed(this, cause)); // never before connect() has returned
        }
    }

    private void failed(Throwable cause) {
        if (!closed) {
            session.failed(side, cause);
        }
    }

}
