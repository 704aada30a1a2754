package dev.linger.proxy.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A socket address as written in the configuration: {@code host:port}, {@code [ipv6]:port}, or a host
 * name with a port. Kept unresolved; resolution happens when a socket is bound or connected.
 */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: '' (expected: a host name or IP address)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}. The message of the exception thrown for a bad
     * value says what was expected, so it can be shown to an operator as is.
     */
    public static HostPort parse(String text) {
        String value = text.trim();
        String host;
        String portText;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || close + 1 >= value.length() || value.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected: [ipv6]:port");
            }
            host = value.substring(1, close);
            portText = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected: host:port or [ipv6]:port");
            }
            host = value.substring(0, colon);
            portText = value.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("expected: host:port with a host");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected: port 1-65535");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("expected: port 1-65535");
        }
        return new HostPort(host, port);
    }

    /** A socket address resolved now (may block on DNS: call it off the event loop). */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }

    /** Formats as in the configuration: {@code host:port} or {@code [ipv6]:port}. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
