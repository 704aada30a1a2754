import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Lab prototype, not part of linger: a TCP relay written directly on Netty 4.2's IoEventLoop / IoHandle layer, with
 * no Channel, pipeline, promise or outbound buffer, to measure what that machinery costs per connection
 * (bench/NOTES.md, "Below the Channels: the lean relay").
 *
 * <p>Each route listens on 127.0.0.1:LISTEN and relays to 127.0.0.1:UPSTREAM. Every connected socket is registered
 * once on an epoll loop with the interest set IN | OUT | RDHUP, edge-triggered, and that set never changes: under
 * EPOLLET a side that cannot take bytes stops its source simply by the relay not reading the source any more (the
 * bytes stay in the kernel and TCP's window closes); the full side's EPOLLOUT edge resumes it. That is backpressure
 * without an epoll_ctl per stall. A read goes into a pooled direct buffer (Netty's PooledByteBufAllocator) that is
 * written on at once; only what the destination did not take is kept, and the buffer goes back to the pool once
 * written, so an idle session holds no buffer. A FIN is passed on as a half-close (shutdown of the other side's
 * output) once every byte read before it is written; when both directions have ended, both sockets are closed. A
 * reset or any other error on a read or write resets the other side (SO_LINGER 0, then close). A route with
 * ":abort" resets both sides as soon as its upstream sends a FIN (linger's {@code teardown { policy = abort }}).
 *
 * <p>Run: {@code java -cp proxy-app/target/proxy-app.jar bench/lab/LeanRelay.java [-tN] LISTEN:UPSTREAM[:abort]...}
 * (N event loops, default 1; with N > 1 each loop has its own SO_REUSEPORT listener per route).
 *
 * <p>Left out: metrics, configuration, logging, timeouts of any kind (connect, idle, graceful linger deadlines),
 * addresses other than 127.0.0.1, load balancing, connect retries, and any limit on the number of sessions.
 */
public class LeanRelay {
    static final int IN = EpollIoOps.EPOLLIN.value();
    static final int OUT = EpollIoOps.EPOLLOUT.value();
    static final int ERR = EpollIoOps.EPOLLERR.value();
    static final int RDHUP = EpollIoOps.EPOLLRDHUP.value();
    static final int HUP = 0x10; // EPOLLHUP: both directions shut down (no public constant in EpollIoOps)
    static final EpollIoOps INTEREST = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT).with(EpollIoOps.EPOLLRDHUP)
            .with(EpollIoOps.EPOLLET);
    static final int READ_SIZE = 32 * 1024; // the largest size the pool's thread cache keeps
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    record Route(int listen, InetSocketAddress upstream, boolean abort) { }

    public static void main(String[] args) throws Exception {
        int threads = 1;
        List<Route> routes = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("-t")) { threads = Integer.parseInt(a.substring(2)); continue; }
            String[] p = a.split(":");
            if (p.length < 2 || p.length > 3 || (p.length == 3 && !p[2].equals("abort"))) {
                throw new IllegalArgumentException("want LISTEN:UPSTREAM[:abort], got " + a);
            }
            routes.add(new Route(Integer.parseInt(p[0]), new InetSocketAddress("127.0.0.1", Integer.parseInt(p[1])),
                    p.length == 3));
        }
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("usage: LeanRelay [-tN] LISTEN:UPSTREAM[:abort]...");
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        final boolean reusePort = threads > 1;
        for (int i = 0; i < threads; i++) {
            IoEventLoop loop = (IoEventLoop) group.next();
            for (Route r : routes) {
                loop.submit(() -> {
                    LinuxSocket s = LinuxSocket.newSocketStream(false);
                    s.setReuseAddress(true);
                    if (reusePort) s.setReusePort(true);
                    s.bind(new InetSocketAddress("127.0.0.1", r.listen()));
                    s.listen(4096);
                    Listener l = new Listener(loop, r, s);
                    register(loop, l).submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET));
                    return null;
                }).get();
            }
        }
        System.err.println("LeanRelay: " + routes.size() + " route(s) on " + threads + " loop(s)");
        group.terminationFuture().sync();
    }

    /** Registers on the loop we are running in: that completes at once. */
    static IoRegistration register(IoEventLoop loop, EpollIoHandle h) throws IOException {
        Future<IoRegistration> f = loop.register(h);
        if (!f.isSuccess()) throw new IOException("register failed", f.cause());
        return f.getNow();
    }

    /** A listening socket: accepts until EAGAIN (edge-triggered), one session per client. */
    static final class Listener implements EpollIoHandle {
        final IoEventLoop loop;
        final Route route;
        final LinuxSocket sock;
        final byte[] addr = new byte[26];

        Listener(IoEventLoop loop, Route route, LinuxSocket sock) { this.loop = loop; this.route = route; this.sock = sock; }

        @Override public FileDescriptor fd() { return sock; }

        @Override public void handle(IoRegistration reg, IoEvent event) {
            for (;;) {
                int fd;
                try {
                    fd = sock.accept(addr);
                } catch (IOException e) {
                    return; // EMFILE and the like: the next connection's edge tries again
                }
                if (fd < 0) return; // EAGAIN
                Session.start(loop, route, new Socket(fd));
            }
        }

        @Override public void close() throws Exception { sock.close(); }
    }

    static final class Session {
        final Route route;
        End client, upstream;
        boolean closed;

        Session(Route route) { this.route = route; }

        static void start(IoEventLoop loop, Route route, Socket c) {
            Session s = new Session(route);
            LinuxSocket u = null;
            try {
                c.setTcpNoDelay(true);
                u = LinuxSocket.newSocketStream(false);
                u.setTcpNoDelay(true);
                boolean connected = u.connect(route.upstream());
                s.client = new End(s, c);
                s.upstream = new End(s, u);
                s.client.peer = s.upstream;
                s.upstream.peer = s.client;
                s.upstream.connecting = !connected;
                s.client.reg = register(loop, s.client);
                s.upstream.reg = register(loop, s.upstream);
                s.client.reg.submit(INTEREST);
                s.upstream.reg.submit(INTEREST);
            } catch (Exception e) {
                reset(c);
                if (u != null) reset(u);
                if (s.client != null) s.client.unregister();
                if (s.upstream != null) s.upstream.unregister();
            }
        }

        /** Both directions have ended: close both (the fds first, so the deregistration needs no epoll_ctl). */
        void close() {
            if (closed) return;
            closed = true;
            client.dispose(false);
            upstream.dispose(false);
        }

        /** An error or reset on one side, or the abort route's upstream FIN: reset both. */
        void reset() {
            if (closed) return;
            closed = true;
            client.dispose(true);
            upstream.dispose(true);
        }

        static void reset(Socket s) {
            try { s.setSoLinger(0); } catch (IOException ignored) { }
            try { s.close(); } catch (IOException ignored) { }
        }
    }

    /** One side of a session; its pump() moves what this side sends to its peer. */
    static final class End implements EpollIoHandle {
        final Session s;
        final Socket sock;
        End peer;
        IoRegistration reg;
        boolean connecting; // upstream only: connect() in progress
        boolean readable;   // an edge said this socket may hold bytes (or its FIN) that we have not read
        boolean rdhup;      // the FIN has arrived: a short read reached it
        boolean eof;        // the FIN is read: this direction ends once pending is written
        boolean finSent;    // this direction has ended: the peer's output is shut down
        ByteBuf pending;    // read from this side, not yet taken by the peer

        End(Session s, Socket sock) { this.s = s; this.sock = sock; }

        @Override public FileDescriptor fd() { return sock; }

        @Override public void handle(IoRegistration r, IoEvent event) {
            if (s.closed) return;
            int ops = ((EpollIoEvent) event).ops().value();
            if ((ops & ERR) != 0) { s.reset(); return; }
            if (connecting) {
                if ((ops & HUP) != 0) { s.reset(); return; }
                if ((ops & OUT) == 0) return;
                connecting = false;
            }
            if ((ops & (RDHUP | HUP)) != 0) rdhup = true;
            if ((ops & (IN | RDHUP | HUP)) != 0) readable = true;
            if ((ops & OUT) != 0) peer.pump(); // the peer's bytes that waited for room here
            pump();
        }

        void pump() {
            End dst = peer;
            if (s.closed || dst.connecting) return;
            try {
                for (;;) {
                    if (pending != null) {
                        int from = pending.readerIndex(), to = pending.writerIndex();
                        int n = write(dst.sock, pending, from, to);
                        if (n < to - from) { // dst is full: stop reading this side until its EPOLLOUT edge
                            pending.readerIndex(from + n);
                            return;
                        }
                        pending.release();
                        pending = null;
                    }
                    if (eof) {
                        if (finSent) return;
                        finSent = true;
                        if (s.route.abort() && this == s.upstream) { s.reset(); return; }
                        if (dst.finSent) { s.close(); return; } // both directions have ended
                        dst.sock.shutdown(false, true);         // pass the FIN on as a half-close
                        return;
                    }
                    if (!readable) return;
                    ByteBuf b = ALLOC.directBuffer(READ_SIZE);
                    int n;
                    try {
                        n = read(sock, b);
                    } catch (IOException e) {
                        b.release();
                        throw e;
                    }
                    if (n > 0) {
                        b.writerIndex(n);
                        pending = b;
                        if (n < READ_SIZE) { // drained: under EPOLLET the next arrival brings a new edge
                            readable = false;
                            if (rdhup) eof = true; // the FIN was in before this read: nothing follows it
                        }
                        continue;
                    }
                    b.release();
                    readable = false;
                    if (n == 0) return; // EAGAIN
                    eof = true;         // -1: the FIN
                }
            } catch (IOException e) {
                s.reset(); // ECONNRESET, EPIPE, ...: reset the other side too
            }
        }

        static int read(Socket sock, ByteBuf b) throws IOException {
            if (b.hasMemoryAddress()) return sock.recvAddress(b.memoryAddress(), 0, b.capacity());
            return sock.recv(b.internalNioBuffer(0, b.capacity()), 0, b.capacity());
        }

        static int write(Socket sock, ByteBuf b, int from, int to) throws IOException {
            if (b.hasMemoryAddress()) return sock.sendAddress(b.memoryAddress(), from, to);
            java.nio.ByteBuffer nio = b.internalNioBuffer(0, b.capacity());
            return sock.send(nio, from, to);
        }

        void dispose(boolean rst) {
            if (pending != null) { pending.release(); pending = null; }
            if (rst) {
                Session.reset(sock);
            } else {
                try { sock.close(); } catch (IOException ignored) { }
            }
            unregister();
        }

        void unregister() {
            if (reg != null) { reg.cancel(); reg = null; }
        }

        @Override public void close() throws Exception {
            if (pending != null) { pending.release(); pending = null; }
            sock.close();
        }
    }
}
