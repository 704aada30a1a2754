package dev.linger.proxy.transport;

import dev.linger.proxy.config.TransportKind;

/** The configured native transport cannot load on this machine. */
public final class TransportUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    TransportUnavailableException(TransportKind kind, Throwable cause) {
        super("proxy.transport: '" + kind.key() + "' (expected: a transport available here: "
                + (cause == null ? "unknown reason" : cause.getMessage()) + ")", cause);
    }
}
