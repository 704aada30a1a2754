package dev.linger.proxy.config;

import java.nio.file.Path;

/** STUB: replaced by the real loader. */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static ProxyConfig load(Path file) throws ConfigProblems {
        throw new UnsupportedOperationException("todo");
    }

    public static ProxyConfig parse(String hocon, String originName) throws ConfigProblems {
        throw new UnsupportedOperationException("todo");
    }
}
