package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessLogSwitchTest {

    @Test
    void accessLogIsOnByDefaultAndCanBeSwitchedOff() throws Exception {
        assertThat(ConfigLoader.parse("", "a.conf").accessLog()).isTrue();
        assertThat(ConfigLoader.parse("proxy.access-log = false", "a.conf").accessLog()).isFalse();
        assertThat(ConfigLoader.parse("proxy.access-log = off", "a.conf").accessLog()).isFalse();
    }

    @Test
    void somethingElseIsNamedWithWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.parse("proxy.access-log = sometimes", "a.conf"))
                .isInstanceOfSatisfying(ConfigProblems.class, problems -> assertThat(problems.problems())
                        .containsExactly("proxy.access-log: 'sometimes' (expected: true or false) at a.conf:1"));
    }
}
