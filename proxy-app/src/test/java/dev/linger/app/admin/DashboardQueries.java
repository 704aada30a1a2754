package dev.linger.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The PromQL of the provisioned Grafana dashboard, docker/grafana/dashboards/linger.json. */
final class DashboardQueries {

    private DashboardQueries() {
    }

    /** Every panel target's {@code expr}, and the template variable's query. */
    static List<String> expressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Tools.docker("grafana/dashboards/linger.json").toFile());
        List<String> exprs = new ArrayList<>();
        collect(dashboard.get("panels"), exprs);
        return exprs;
    }

    /** The template variables, by name. */
    static JsonNode variables() throws IOException {
        return new ObjectMapper().readTree(Tools.docker("grafana/dashboards/linger.json").toFile())
                .get("templating").get("list");
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            if (panel.has("targets")) {
                panel.get("targets").forEach(target -> exprs.add(target.get("expr").asText()));
            }
            if (panel.has("panels")) {
                collect(panel.get("panels"), exprs); // a collapsed row keeps its panels inside
            }
        }
    }
}
