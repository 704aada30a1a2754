package dev.linger.proxy.testing;

import dev.linger.proxy.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream server on loopback whose every connection runs a {@link Script}: send N bytes then
 * FIN, reset, stay silent, echo, stop reading... Plain blocking sockets, one thread per connection,
 * so what it observes is exactly what the kernel delivered.
 */
public final class ScriptedUpstream implements AutoCloseable {

    /** What the upstream does with one accepted connection. */
    @FunctionalInterface
    public interface Script {
        void run(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final Script script;
    private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    private ScriptedUpstream(InetSocketAddress bind, Script script) throws IOException {
        this(bind, 0, script);
    }

    private ScriptedUpstream(InetSocketAddress bind, int receiveBuffer, Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer); // before bind: the window is agreed at the handshake
        }
        server.bind(bind, 1024);
        threads.execute(this::acceptLoop);
    }

    /** Echoes every byte back, then answers the client's FIN with its own. */
    public static final Script ECHO = socket -> {
        socket.getInputStream().transferTo(socket.getOutputStream());
        socket.shutdownOutput();
    };

    /** Starts an upstream on 127.0.0.1 and an ephemeral port. */
    public static ScriptedUpstream start(Script script) throws IOException {
        return start(0, script);
    }

    /**
     * Starts an upstream on 127.0.0.1 whose connections have a receive buffer (and so a window) of about
     * {@code bytes}: a reader that keeps the proxy waiting for writability.
     */
    public static ScriptedUpstream startWithReceiveBuffer(int bytes, Script script) throws IOException {
        return new ScriptedUpstream(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), bytes, script);
    }

    /** Starts an upstream on every local address, IPv4 and IPv6 alike, and an ephemeral port. */
    public static ScriptedUpstream startDualStack(Script script) throws IOException {
        return new ScriptedUpstream(new InetSocketAddress(0), script);
    }

    /** Starts an upstream on 127.0.0.1 and {@code port}, e.g. where a test's dead upstream comes back. */
    public static ScriptedUpstream start(int port, Script script) throws IOException {
        return new ScriptedUpstream(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), script);
    }

    /** Where the upstream listens, as a route's {@code upstreams} entry. */
    public HostPort address() {
        return address("127.0.0.1");
    }

    /** The upstream's port on {@code host}, as a route's {@code upstreams} entry. */
    public HostPort address(String host) {
        return new HostPort(host, server.getLocalPort());
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Exceptions the scripts threw, other than the ones a closed socket causes at close(). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                sockets.add(socket);
                threads.execute(() -> runScript(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void runScript(Socket socket) {
        try (socket) {
            script.run(socket);
        } catch (SocketException e) {
            if (!server.isClosed()) {
                failures.add(e);
            }
        } catch (Throwable e) {
            failures.add(e);
        } finally {
            sockets.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "upstream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
