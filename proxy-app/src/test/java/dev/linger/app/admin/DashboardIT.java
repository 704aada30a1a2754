package dev.linger.app.admin;

import static dev.linger.proxy.testing.TestRoutes.route;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linger.proxy.config.ConfigLoader;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.ProxyConfig;
import dev.linger.proxy.testing.ScriptedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The files in {@code docker/} agree with the proxy: every {@code proxy_*} metric the dashboard and the
 * alert rules name exists in a running proxy's {@code /metrics} (histogram series by their
 * {@code _bucket}, {@code _sum} and {@code _count} names), the dashboard is per route, and compose's
 * proxy configuration serves its admin listener where Prometheus scrapes it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardIT {

    private static final Pattern METRIC = Pattern.compile("\\bproxy_[a-z0-9_]+");

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsExported() throws Exception {
        Set<String> used = new TreeSet<>();
        used.addAll(metricNames(Tools.docker("grafana/dashboards/linger.json")));
        List<String> alertExprs = alertExpressions();
        alertExprs.forEach(expr -> used.addAll(metricNames(expr)));
        assertThat(alertExprs).as("expr: lines of alerts.yml").isNotEmpty();
        assertThat(used).as("proxy_* names used").contains("proxy_connections_closed_total",
                "proxy_teardown_duration_seconds_bucket", "proxy_bytes_discarded_total",
                "proxy_connections_active", "proxy_connections_draining", "proxy_upstream_connect_failures_total");

        Set<String> exported;
        try (ScriptedUpstream upstream = ScriptedUpstream.start(socket -> { });
                RunningProxy proxy = RunningProxy.start(route("web", upstream.address()))) {
            exported = proxy.admin.scrape().names();
        }

        assertThat(exported).as("names in /metrics").containsAll(used);
    }

    @Test
    void everyDashboardQueryIsPerRoute() throws Exception {
        JsonNode route = null;
        for (JsonNode variable : DashboardQueries.variables()) {
            if (variable.get("name").asText().equals("route")) {
                route = variable;
            }
        }
        assertThat(route).as("a 'route' template variable").isNotNull();
        assertThat(route.get("query").toString()).contains("label_values(proxy_connections_closed_total, route)");
        assertThat(DashboardQueries.expressions()).isNotEmpty()
                .allSatisfy(expr -> assertThat(expr).contains("route=~\"$route\""));
    }

    @Test
    void composeServesTheAdminListenerWherePrometheusScrapes() throws Exception {
        ProxyConfig config = ConfigLoader.load(Tools.docker("proxy.conf"));
        String scrape = Files.readString(Tools.docker("prometheus/prometheus.yml"));
        String compose = Files.readString(Tools.docker("compose.yaml"));

        HostPort admin = config.admin().listen().orElseThrow();
        assertThat(admin.host()).isEqualTo("0.0.0.0");
        assertThat(scrape).contains("targets: [\"proxy:" + admin.port() + "\"]").contains("- alerts.yml");
        assertThat(compose).contains("./proxy.conf:/etc/linger/proxy.conf:ro",
                "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro", "dockerfile: docker/Dockerfile");
        for (var route : config.routes()) {
            assertThat(compose).as("compose publishes route %s", route.name())
                    .contains("\"" + route.listen().port() + ":" + route.listen().port() + "\"");
        }
    }

    private static Set<String> metricNames(Path file) throws Exception {
        return metricNames(Files.readString(file));
    }

    private static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** The {@code expr:} of each rule, single-line or a {@code |} block. */
    private static List<String> alertExpressions() throws Exception {
        List<String> lines = Files.readAllLines(Tools.docker("prometheus/alerts.yml"));
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0) {
                continue;
            }
            String value = line.substring(at + "expr:".length()).trim();
            if (!value.equals("|") && !value.equals(">")) {
                exprs.add(value);
                continue;
            }
            int indent = line.indexOf(line.stripLeading());
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                    || lines.get(i + 1).indexOf(lines.get(i + 1).stripLeading()) > indent)) {
                block.append(lines.get(++i).strip()).append('\n');
            }
            exprs.add(block.toString());
        }
        return exprs;
    }
}
