package dev.linger.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void versionComesFromTheFilteredPropertiesFile() {
        assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+\\S*").doesNotContain("${");
    }
}
