package dev.linger.proxy.config;

import java.util.List;

/**
 * Thrown when a configuration cannot be used. Carries every problem found, one operator-readable line
 * each ({@code proxy.routes.web.listen: '127.0.0.1:99999' (expected: port 1-65535) at proxy.conf:7}).
 */
public final class ConfigProblems extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigProblems(List<String> problems) {
        super(String.join(System.lineSeparator(), problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, one line each, in the order they appear in the file. */
    public List<String> problems() {
        return problems;
    }
}
