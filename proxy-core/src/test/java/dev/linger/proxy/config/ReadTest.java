package dev.linger.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadTest {

    @Test
    void aRecordIsBuiltOnlyWhenEveryPartWasRead() {
        Read<Integer> one = Read.of(1);
        Read<Integer> failed = Read.failed();

        assertThat(Read.build(() -> one.get() + 1, one).get()).isEqualTo(2);
        assertThat(Read.build(() -> one.get() + failed.get(), one, failed).ok()).isFalse();
        assertThat(Read.all(List.of(one, Read.of(2))).get()).containsExactly(1, 2);
        assertThat(Read.all(List.of(one, failed)).ok()).isFalse();
    }

    @Test
    void aFailedReadStaysFailedAndHasNoValue() {
        Read<Integer> failed = Read.failed();

        assertThat(failed.map(n -> n + 1).ok()).isFalse();
        assertThat(failed.flatMap(Read::of).ok()).isFalse();
        assertThatThrownBy(failed::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reportingAProblemRecordsItAndFailsTheRead() {
        Problems problems = new Problems("t.conf");
        Section section = Section.of(ConfigFactory.parseString("a = 1",
                ConfigParseOptions.defaults().setOriginDescription("t.conf")).root(), List.of("proxy"), problems);

        assertThat(section.integer("a", 2).ok()).isFalse();
        assertThat(section.integer("b", 0).ok()).isFalse();
        assertThatThrownBy(problems::throwIfAny).isInstanceOfSatisfying(ConfigProblems.class,
                e -> assertThat(e.problems()).containsExactly(
                        "proxy.a: '1' (expected: an integer >= 2) at t.conf:1",
                        "proxy.b: missing (expected: an integer >= 0) at t.conf:1"));
    }
}
