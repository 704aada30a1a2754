package dev.linger.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of linger, as Maven built it: from the filtered {@code version.properties} beside this
 * class, else the jar manifest's {@code Implementation-Version}, else {@code unknown}.
 */
public final class Version {

    private static final String CURRENT = read();

    private Version() {
    }

    /** The version, e.g. {@code 0.1.0}; never null. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        String version = null;
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                version = properties.getProperty("version");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read version.properties from the classpath", e);
        }
        if (version == null || version.isBlank() || version.contains("${")) {
            version = Version.class.getPackage().getImplementationVersion();
        }
        return version == null ? "unknown" : version;
    }
}
