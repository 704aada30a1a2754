package dev.linger.app.admin;

import dev.linger.app.RouteSummary;
import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.RouteConfig;
import dev.linger.proxy.config.TeardownConfig;
import dev.linger.proxy.upstream.UpstreamHealth;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /routes}. Keys follow the configuration file's, so what an operator reads
 * here is what they would write there:
 *
 * <pre>{@code
 * {"routes":[{"name":"web","listen":"0.0.0.0:8080","bound":"0.0.0.0:8080",
 *   "upstreams":["10.0.0.1:80"],
 *   "teardown":{"policy":"graceful","linger-timeout":"5s","on":{"client-rst":"abort"}},
 *   "live-sessions":3,
 *   "upstream-health":[{"upstream":"10.0.0.1:80","weight":1,"healthy":true,"checks-passing":true,
 *     "ejected-until":null,"sessions":3}]}]}
 * }</pre>
 */
final class RoutesJson {

    private RoutesJson() {
    }

    static String of(List<RouteView> routes) {
        return Json.object(Map.of("routes", Json.array(routes.stream().map(RoutesJson::route).toList())));
    }

    static String route(RouteView view) {
        RouteConfig config = view.config();
        Map<String, String> route = new LinkedHashMap<>();
        route.put("name", Json.string(config.name()));
        route.put("listen", Json.string(config.listen().toString()));
        route.put("bound", Json.string(RouteSummary.format(view.bound())));
        route.put("upstreams", Json.strings(config.upstreams().stream().map(HostPort::toString).toList()));
        route.put("teardown", teardown(config.teardown()));
        route.put("live-sessions", Integer.toString(view.liveSessions()));
        route.put("upstream-health", Json.array(view.upstreams().stream().map(RoutesJson::health).toList()));
        return Json.object(route);
    }

    private static String health(UpstreamHealth upstream) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("upstream", Json.string(upstream.upstream().toString()));
        json.put("weight", Integer.toString(upstream.weight()));
        json.put("healthy", Boolean.toString(upstream.healthy()));
        json.put("checks-passing", Boolean.toString(upstream.checksPassing()));
        json.put("ejected-until", Json.string(upstream.ejectedUntil().map(Object::toString).orElse(null)));
        json.put("sessions", Integer.toString(upstream.sessions()));
        return Json.object(json);
    }

    private static String teardown(TeardownConfig teardown) {
        Map<String, String> on = new LinkedHashMap<>();
        // Trigger order, as in the --check summary: the record's map has no order of its own.
        teardown.overrides().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(entry -> on.put(entry.getKey().key(), Json.string(entry.getValue().key())));
        Map<String, String> json = new LinkedHashMap<>();
        json.put("policy", Json.string(teardown.policy().key()));
        json.put("linger-timeout", Json.string(duration(teardown.lingerTimeout())));
        json.put("on", Json.object(on));
        return Json.object(json);
    }

    /** A duration as the configuration writes it: {@code 5s}, {@code 1500ms}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis * 1_000_000 != duration.toNanos()) {
            return duration.toNanos() + "ns";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
