package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Configuration texts for the loader's tests, parsed as a file named {@code test.conf}. */
final class TestConfigs {

    private TestConfigs() {
    }

    static ProxyConfig parse(String hocon) throws ConfigProblems {
        return ConfigLoader.parse(hocon, "test.conf");
    }

    /** The problems {@code hocon} has; fails the test when it has none. */
    static List<String> problems(String hocon) {
        try {
            ConfigLoader.parse(hocon, "test.conf");
        } catch (ConfigProblems e) {
            return checked(e.problems());
        }
        return fail("expected problems in:%n%s", hocon);
    }

    /** The problems loading {@code file} gives; fails the test when there are none. */
    static List<String> loadProblems(Path file) {
        try {
            ConfigLoader.load(file);
        } catch (ConfigProblems e) {
            return checked(e.problems());
        }
        return fail("expected problems in %s", file);
    }

    /**
     * A valid route {@code web} on 127.0.0.1:8080 whose line 4 is {@code line}, in front of
     * {@code upstreams} (as written in the list, e.g. {@code "127.0.0.1:8000"}).
     */
    static String route(String line, String... upstreams) {
        String list = Arrays.stream(upstreams).map(u -> "\"" + u + "\"").collect(Collectors.joining(", "));
        return """
                proxy {
                  routes.web {
                    listen = "127.0.0.1:8080"
                    %s
                    upstreams = [%s]
                  }
                }
                """.formatted(line, list);
    }

    /** Whatever the problem, the operator gets lines of text, never a stack trace. */
    private static List<String> checked(List<String> problems) {
        assertThat(problems).isNotEmpty().allSatisfy(line -> assertThat(line)
                .doesNotContain("Exception", "\tat ", "\n", "\r"));
        return problems;
    }
}
