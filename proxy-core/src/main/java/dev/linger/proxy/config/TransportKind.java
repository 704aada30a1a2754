package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/** The I/O transport named by {@code proxy.transport}. */
public enum TransportKind {
    /** epoll where available, else NIO. */
    AUTO,
    EPOLL,
    IO_URING,
    NIO;

    /** The name used in configuration files, e.g. {@code io_uring}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport named {@code key}, if there is one. */
    public static Optional<TransportKind> fromKey(String key) {
        for (TransportKind kind : values()) {
            if (kind.key().equals(key)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return key();
    }
}
