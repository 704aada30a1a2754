package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/** The I/O transport named by {@code proxy.transport}. */
public enum TransportKind implements Keyed {
    /** epoll where available, else NIO. */
    AUTO,
    EPOLL,
    IO_URING,
    NIO;

    /** The name used in configuration files, e.g. {@code io_uring}. */
    @Override
    public String key() {
        // Not Keyed's '-': io_uring is written as the kernel interface and Netty's transport name it.
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport named {@code key}, if there is one. */
    public static Optional<TransportKind> fromKey(String key) {
        return Keyed.fromKey(TransportKind.class, key);
    }

    @Override
    public String toString() {
        return key();
    }
}
