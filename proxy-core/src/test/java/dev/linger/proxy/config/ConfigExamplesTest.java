package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every configuration shipped under the repository's {@code config/} directory must load as is. */
class ConfigExamplesTest {

    // Surefire runs with the module directory (proxy-core) as working directory.
    private static final Path CONFIG_DIR = Path.of("..", "config");

    @TestFactory
    Stream<DynamicTest> everyShippedConfigValidates() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(CONFIG_DIR)) {
            files = walk.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(files).as("*.conf files under %s", CONFIG_DIR.toAbsolutePath().normalize()).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(CONFIG_DIR.relativize(file).toString(), () -> {
            try {
                ProxyConfig config = ConfigLoader.load(file);
                assertThat(config.routes()).isNotEmpty();
            } catch (ConfigProblems e) {
                fail("%s does not validate:%n%s", file, String.join(System.lineSeparator(), e.problems()));
            }
        }));
    }
}
