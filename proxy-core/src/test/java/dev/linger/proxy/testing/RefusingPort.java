package dev.linger.proxy.testing;

import dev.linger.proxy.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where every connect is refused, for as long as it is open: a socket is bound to it and never
 * listens. Holding the port matters: a port probed free and released at once can be handed to the next socket
 * that binds port 0 (an upstream of the same test, say), which then answers in its place.
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket holder;

    private RefusingPort(Socket holder) {
        this.holder = holder;
    }

    public static RefusingPort open() throws IOException {
        Socket holder = new Socket();
        try {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new RefusingPort(holder);
        } catch (IOException e) {
            holder.close();
            throw e;
        }
    }

    public HostPort address() {
        return new HostPort("127.0.0.1", port());
    }

    public int port() {
        return holder.getLocalPort();
    }

    /** Frees the port: connects to it are still refused until something listens there. */
    @Override
    public void close() throws IOException {
        holder.close();
    }
}
