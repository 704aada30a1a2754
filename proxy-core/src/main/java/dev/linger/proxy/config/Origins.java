package dev.linger.proxy.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns Typesafe Config origins and exceptions into the short {@code file:line} form operators read. */
final class Origins {

    // A merged origin reads "merge of a.conf: 3,b.conf: 7"; a single one "a.conf: 3" or "a.conf".
    private static final Pattern DESCRIPTION = Pattern.compile("^(?:merge of )?(.*?)(?:: \\d+(?:-\\d+)?)?(?:,.*)?$");

    private Origins() {
    }

    /** {@code proxy.conf:12}, or just the name when the origin has no line (an environment variable). */
    static String describe(ConfigOrigin origin) {
        String name = name(origin);
        int line = origin.lineNumber();
        return line >= 0 ? name + ":" + line : name;
    }

    /** The base name of the file the origin points into, e.g. {@code proxy.conf} or {@code reference.conf}. */
    static String name(ConfigOrigin origin) {
        if (origin.filename() != null) {
            Path fileName = Path.of(origin.filename()).getFileName();
            return fileName != null ? fileName.toString() : origin.filename();
        }
        if (origin.resource() != null) {
            return origin.resource();
        }
        Matcher matcher = DESCRIPTION.matcher(origin.description());
        return matcher.matches() ? matcher.group(1) : origin.description();
    }

    /**
     * One line for an exception Typesafe Config threw while parsing or resolving: {@code proxy.conf:12:
     * message}. Its own message starts with the full description of the origin (an absolute path and
     * {@code ": 12"}), which is replaced by the short form.
     */
    static String oneLine(ConfigException e, String fallbackName) {
        String message = String.valueOf(e.getMessage());
        ConfigOrigin origin = e.origin();
        if (origin == null) {
            return Problems.flatten(fallbackName + ": " + message);
        }
        String prefix = origin.description() + ": ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return Problems.flatten(describe(origin) + ": " + message);
    }
}
