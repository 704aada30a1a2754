package dev.linger.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's own exposition parser, so a metrics test fails for the proxy and not for the parser. */
class ExpositionTest {

    private static final String TEXT = """
            # HELP proxy_connections_closed_total Sessions ended
            # TYPE proxy_connections_closed_total counter
            proxy_connections_closed_total{path="abort",route="web",trigger="client-rst"} 3.0
            proxy_connections_closed_total{path="graceful",route="we\\"b,x=\\\\",trigger="client-fin"} 1.0
            # TYPE proxy_teardown_duration_seconds histogram
            proxy_teardown_duration_seconds_bucket{path="abort",route="web",le="+Inf"} 2
            up 1
            """;

    @Test
    void readsNamesLabelsValuesAndTypes() {
        Exposition exposition = Exposition.parse(TEXT);

        assertThat(exposition.value("proxy_connections_closed_total",
                Map.of("path", "abort", "route", "web", "trigger", "client-rst"))).isEqualTo(3.0);
        assertThat(exposition.value("proxy_connections_closed_total",
                Map.of("path", "graceful", "route", "we\"b,x=\\", "trigger", "client-fin"))).isEqualTo(1.0);
        assertThat(exposition.value("up", Map.of())).isEqualTo(1.0);
        assertThat(exposition.type("proxy_teardown_duration_seconds")).isEqualTo("histogram");
        assertThat(exposition.names()).contains("proxy_teardown_duration_seconds",
                "proxy_teardown_duration_seconds_bucket", "up");
    }

    @Test
    void aMissingSeriesFails() {
        assertThatThrownBy(() -> Exposition.parse(TEXT).value("up", Map.of("a", "b")))
                .isInstanceOf(AssertionError.class);
    }
}
