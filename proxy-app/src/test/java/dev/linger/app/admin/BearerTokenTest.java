package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linger.app.admin.BearerToken.Verdict;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

    @Test
    void withoutATokenEverythingIsAllowed() {
        BearerToken none = new BearerToken("");

        assertThat(none.check(null)).isEqualTo(Verdict.ALLOWED);
        assertThat(none.check("Bearer anything")).isEqualTo(Verdict.ALLOWED);
    }

    @Test
    void missingHeaderOrOtherSchemeIsMissing() {
        BearerToken token = new BearerToken("t0k");

        assertThat(token.check(null)).isEqualTo(Verdict.MISSING);
        assertThat(token.check("")).isEqualTo(Verdict.MISSING);
        assertThat(token.check("Bearer")).isEqualTo(Verdict.MISSING);
        assertThat(token.check("Basic dDBr")).isEqualTo(Verdict.MISSING);
        assertThat(token.check("t0k")).isEqualTo(Verdict.MISSING);
    }

    @Test
    void onlyTheExactTokenIsAllowed() {
        BearerToken token = new BearerToken("t0k");

        assertThat(token.check("Bearer t0k")).isEqualTo(Verdict.ALLOWED);
        assertThat(token.check("bearer t0k ")).isEqualTo(Verdict.ALLOWED);
        assertThat(token.check("Bearer t0")).isEqualTo(Verdict.WRONG);
        assertThat(token.check("Bearer t0kk")).isEqualTo(Verdict.WRONG);
        assertThat(token.check("Bearer T0K")).isEqualTo(Verdict.WRONG);
        assertThat(token.check("Bearer ")).isEqualTo(Verdict.WRONG);
    }
}
