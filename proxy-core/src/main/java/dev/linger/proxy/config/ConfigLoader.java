package dev.linger.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and validates the proxy's configuration: a HOCON file layered over the built-in
 * {@code reference.conf}, resolved (so {@code ${?VAR}} environment overrides apply) and read into a
 * {@link ProxyConfig}. Used at start-up, by {@code --check} and on every reload.
 *
 * <p>Nothing is bound or connected here. A configuration that cannot be used throws
 * {@link ConfigProblems} listing every problem at once, one line each, in the form
 * {@code proxy.routes.web.teardown.policy: 'sometimes' (expected: graceful or abort) at proxy.conf:12};
 * a file that cannot be read or parsed is a single line naming the file (and the line of a syntax error).
 */
public final class ConfigLoader {

    private static final String REFERENCE = "reference.conf";

    private ConfigLoader() {
    }

    /** Loads {@code file}; problems name it by its base name, e.g. {@code proxy.conf:12}. */
    public static ProxyConfig load(Path file) throws ConfigProblems {
        checkReadable(file);
        Path fileName = file.getFileName();
        String name = fileName != null ? fileName.toString() : file.toString();
        Config user;
        try {
            // allowMissing(false): by default a missing file parses as an empty one, i.e. a proxy with
            // no routes, which would hide a typo in --config.
            user = ConfigFactory.parseFile(file.toFile(), options().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(Origins.oneLine(e, file.toString())));
        }
        return validate(user, name);
    }

    /** Parses {@code hocon} as if read from a file named {@code originName}, which problems name. */
    public static ProxyConfig parse(String hocon, String originName) throws ConfigProblems {
        Config user;
        try {
            user = ConfigFactory.parseString(hocon, options().setOriginDescription(originName));
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(Origins.oneLine(e, originName)));
        }
        return validate(user, originName);
    }

    private static ProxyConfig validate(Config user, String originName) throws ConfigProblems {
        // The loader's own class loader: under an application server or a test runner the context
        // class loader may not see proxy-core's resources.
        Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE,
                options().setAllowMissing(false));
        Config resolved;
        try {
            resolved = user.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new ConfigProblems(List.of(Origins.oneLine(e, originName)));
        }
        Problems problems = new Problems(originName);
        Read<ProxyConfig> config = ConfigReader.read(user.root(), resolved.root(), problems);
        problems.throwIfAny();
        // Every failed read recorded a problem, so with none recorded every read succeeded.
        return config.get();
    }

    private static ConfigParseOptions options() {
        // HOCON whatever the file is called: it is a superset of JSON, and .properties would surprise.
        return ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF);
    }

    /** Opens the file once so a missing or unreadable one is reported in plain words, before parsing. */
    private static void checkReadable(Path file) throws ConfigProblems {
        String reason;
        if (Files.isDirectory(file)) {
            reason = "Is a directory";
        } else {
            try {
                Files.newInputStream(file).close();
                return;
            } catch (NoSuchFileException e) {
                reason = "No such file or directory";
            } catch (AccessDeniedException e) {
                reason = "Permission denied";
            } catch (FileSystemException e) {
                reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            } catch (IOException e) {
                reason = String.valueOf(e.getMessage());
            }
        }
        throw new ConfigProblems(List.of(file + ": cannot read (" + reason + ")"));
    }
}
