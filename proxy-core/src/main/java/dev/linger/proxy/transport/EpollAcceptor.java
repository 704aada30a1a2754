package dev.linger.proxy.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket on an epoll event loop, without a channel: it accepts on its loop and hands each new
 * connection, on that loop, to whoever serves it. Registered once, edge-triggered: each edge is accepted until
 * the kernel has no more, {@value #ACCEPTS_PER_TURN} at a time, the loop's other work between. When accepting
 * fails (out of file descriptors, say), it stops for a second, as Netty's acceptor does, and logs one line.
 */
public final class EpollAcceptor implements EpollIoHandle, Runnable {

    private static final Logger log = LoggerFactory.getLogger(EpollAcceptor.class);
    private static final int ACCEPTS_PER_TURN = 64;
    private static final long BACK_OFF_SECONDS = 1;

    /** Serves each accepted connection. */
    public interface Accepted {
        /** {@code socket}, non-blocking, was accepted on {@code loop} from {@code remote}; called on {@code loop}. */
        void accepted(IoEventLoop loop, LinuxSocket socket, InetSocketAddress remote);
    }

    private final IoEventLoop loop;
    private final LinuxSocket socket;
    private final Accepted accepted;
    /** Filled by each accept: its first byte is the length of the address that follows. */
    private final byte[] address = new byte[26];
    private IoRegistration registration;
    private boolean backingOff;
    private boolean scheduled;

    private EpollAcceptor(IoEventLoop loop, LinuxSocket socket, Accepted accepted) {
        this.loop = loop;
        this.socket = socket;
        this.accepted = accepted;
    }

    /**
     * Binds and listens on {@code address} on {@code loop} (with {@code SO_REUSEPORT} when {@code reusePort}),
     * blocking until it is done; {@code accepted} serves each connection. Called at start-up and reload (the
     * main, signal or admin-call thread), never on an event loop: Netty refuses such a wait on its own loop.
     *
     * @throws IOException when the address cannot be bound
     */
    public static EpollAcceptor bind(IoEventLoop loop, InetSocketAddress address, int backlog, boolean reusePort,
            Accepted accepted) throws IOException {
        Future<EpollAcceptor> bound = loop.submit(() -> {
            LinuxSocket socket = address.getAddress() instanceof Inet4Address
                    ? LinuxSocket.newSocketStream(false) : LinuxSocket.newSocketStream();
            try {
                socket.setReuseAddress(true);
                if (reusePort) {
                    socket.setReusePort(true);
                }
                socket.bind(address);
                socket.listen(backlog);
                EpollAcceptor acceptor = new EpollAcceptor(loop, socket, accepted);
                Future<IoRegistration> registered = loop.register(acceptor);
                if (!registered.isSuccess()) {
                    throw new IOException("event loop refused the listener", registered.cause());
                }
                acceptor.registration = registered.getNow();
                acceptor.registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET));
                return acceptor;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        });
        bound.awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
        return bound.getNow();
    }

    /** The bound address (the real port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration ignored, IoEvent event) {
        acceptAll();
    }

    /** Accepting goes on after a turn's share, or after backing off. */
    @Override
    public void run() {
        scheduled = false;
        backingOff = false;
        acceptAll();
    }

    private void acceptAll() {
        if (backingOff || !socket.isOpen()) {
            return;
        }
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            int fd;
            try {
                fd = socket.accept(address);
            } catch (IOException e) {
                log.warn("accept on {} failed, accepting again in {} s: {}", localAddress(), BACK_OFF_SECONDS,
                        e.getMessage());
                backingOff = true;
                loop.schedule(this, BACK_OFF_SECONDS, TimeUnit.SECONDS);
                return;
            }
            if (fd < 0) {
                return; // nothing more: the next connection is a new edge
            }
            LinuxSocket client = LinuxSocket.newSocket(fd);
            try {
                accepted.accepted(loop, client, NativeInetAddress.address(address, 1, address[0]));
            } catch (RuntimeException e) {
                log.warn("accepted connection not served", e);
                closeQuietly(client);
            }
        }
        if (!scheduled) {
            scheduled = true;
            loop.execute(this); // more may wait; other sockets first
        }
    }

    private static void closeQuietly(LinuxSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            log.trace("close failed", e);
        }
    }

    /** Stops listening, from any thread; the future completes once the socket is closed. */
    public Future<?> stop() {
        return loop.submit(() -> {
            closeQuietly(socket);
            if (registration != null) {
                registration.cancel();
            }
        });
    }

    /** The event loop is closing with the listener still registered. */
    @Override
    public void close() {
        closeQuietly(socket);
    }
}
