package dev.linger.proxy.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every problem of one load, so the operator sees them all at once instead of fixing one per
 * run. Lines are reported in file order; an identical line is kept once, which is how a bad value in
 * {@code route-defaults} inherited by several routes is reported only under {@code route-defaults}.
 */
final class Problems {

    private record Problem(boolean inUserFile, int line, int seq, String text) {
    }

    private static final Comparator<Problem> FILE_ORDER = Comparator
            .comparing((Problem p) -> !p.inUserFile())
            .thenComparingInt(p -> p.line() < 0 ? Integer.MAX_VALUE : p.line())
            .thenComparingInt(Problem::seq);

    private final String userFile;
    private final Map<String, Problem> byText = new LinkedHashMap<>();

    /** {@code userFile} is the name lines of the user's own file carry; they are listed first. */
    Problems(String userFile) {
        this.userFile = userFile;
    }

    /** Adds {@code path: detail at file:line}. */
    void add(String path, String detail, ConfigOrigin origin) {
        addLine(path + ": " + detail + " at " + Origins.describe(origin), origin);
    }

    /** Adds a line already formatted; {@code origin} only decides where it sorts. */
    void addLine(String text, ConfigOrigin origin) {
        String line = flatten(text);
        byText.putIfAbsent(line,
                new Problem(Origins.name(origin).equals(userFile), origin.lineNumber(), byText.size(), line));
    }

    boolean isEmpty() {
        return byText.isEmpty();
    }

    void throwIfAny() throws ConfigProblems {
        if (!byText.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(byText.values());
            sorted.sort(FILE_ORDER);
            throw new ConfigProblems(sorted.stream().map(Problem::text).toList());
        }
    }

    /** A problem is one line, whatever a value or a library message contains. */
    static String flatten(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
