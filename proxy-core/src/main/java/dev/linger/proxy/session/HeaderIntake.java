package dev.linger.proxy.session;

import dev.linger.proxy.config.ProxyProtocolConfig;
import dev.linger.proxy.config.ProxyProtocolVersion;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the client really is: the connection's peer, or the source a trusted PROXY header names. On a route
 * that accepts PROXY protocol the client must open with the header, only from a trusted network, within the
 * connect timeout; nothing is connected upstream before it has arrived. Also makes the header a route that
 * sends PROXY protocol writes first to the upstream.
 */
final class HeaderIntake {

    private static final Logger log = LoggerFactory.getLogger(HeaderIntake.class);

    private final EventLoop loop;
    private final SessionSocket client;
    private SocketAddress clientAddress;
    /** The address the client meant to reach, when its header named one. */
    private SocketAddress destination;
    private boolean awaiting;
    private ScheduledFuture<?> deadline;

    HeaderIntake(EventLoop loop, SessionSocket client) {
        this.loop = loop;
        this.client = client;
        this.clientAddress = client.remoteAddress();
    }

    /**
     * Waits for the client's header, for {@code timeout} at most; {@code refuse} runs if it does not come in
     * time, or at once if the client may not send one.
     */
    void await(ProxyProtocolConfig config, Duration timeout, Runnable refuse) {
        if (!ProxyHeaders.trusted(clientAddress, config.trustedSources())) {
            log.debug("PROXY header not accepted from untrusted {}", clientAddress);
            refuse.run();
            return;
        }
        awaiting = true;
        deadline = loop.schedule(() -> {
            if (awaiting) {
                log.debug("no PROXY header from {} within {}", clientAddress, timeout);
                refuse.run();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    boolean awaiting() {
        return awaiting;
    }

    /** The header arrived: it names the real client. */
    void arrived(HAProxyMessage header) {
        stop();
        clientAddress = ProxyHeaders.source(header, clientAddress);
        destination = ProxyHeaders.destination(header, client.localAddress());
    }

    /**
     * The header was malformed: the decoder goes, since it would fail (and close the socket) again at the
     * client's FIN, and nothing more is awaited.
     */
    void malformed() {
        stop();
        client.dropProxyHeaderDecoder();
    }

    /** Nothing more is awaited. */
    void stop() {
        awaiting = false;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** The real client. */
    SocketAddress client() {
        return clientAddress;
    }

    /**
     * The header sent upstream: the real client as source, and as destination the address the client connected
     * to, unless its own header named another. That address is looked up only here: getsockname is a system
     * call on every new connection otherwise.
     */
    HAProxyMessage toSend(ProxyProtocolVersion version) {
        return ProxyHeaders.header(version, clientAddress, destination != null ? destination : client.localAddress());
    }
}
