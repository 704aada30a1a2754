package dev.linger.app.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.METHOD_NOT_ALLOWED;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;
import static io.netty.handler.codec.http.HttpResponseStatus.UNPROCESSABLE_ENTITY;

import dev.linger.proxy.config.HostPort;
import dev.linger.proxy.config.Policy;
import dev.linger.proxy.config.Trigger;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API (the README's "Admin API") as plain request-in, answer-out: which path and method mean what,
 * the token rule for POST calls, and every error as one line. No Netty channel in sight, so each answer
 * is tested directly; {@link AdminHandler} only carries requests here and answers back.
 *
 * <p>Checks run in this order: the path (404), the method (405 with {@code Allow}), the token for a
 * POST (401, 403), then the call's own arguments (400, 404).
 */
final class AdminApi {

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private static final String PATHS = "/metrics, /healthz, /readyz, /routes, /routes/{name}/abort,"
            + " /routes/{name}/drain, /reload";
    private static final String ROUTES_PREFIX = "/routes/";
    private static final String UPSTREAM = "upstream";

    private final RouteTable routes;
    private final Supplier<String> metrics;
    private final BooleanSupplier ready;
    private final BearerToken token;
    private final Supplier<Reload> reloader;

    /**
     * @param routes  the routes to list and act on
     * @param metrics the Prometheus exposition, produced on each scrape
     * @param ready   whether the listeners accept (false once stopping has begun)
     * @param token   {@code proxy.admin.token}; empty when POST calls need none
     */
    AdminApi(RouteTable routes, Supplier<String> metrics, BooleanSupplier ready, String token) {
        this(routes, metrics, ready, token, () -> Reload.failed(List.of("reload is not available here")));
    }

    /** As above, with {@code reloader} reading the configuration file again for {@code POST /reload}. */
    AdminApi(RouteTable routes, Supplier<String> metrics, BooleanSupplier ready, String token,
            Supplier<Reload> reloader) {
        this.routes = routes;
        this.metrics = metrics;
        this.ready = ready;
        this.token = new BearerToken(token);
        this.reloader = reloader;
    }

    /** The answer to {@code method uri}; {@code headers} are read for the token only. */
    Answer handle(HttpMethod method, String uri, HttpHeaders headers) {
        String path;
        Map<String, List<String>> parameters;
        try {
            QueryStringDecoder target = new QueryStringDecoder(uri);
            path = target.rawPath();
            parameters = target.parameters();
        } catch (IllegalArgumentException e) { // a malformed %-escape
            return Answer.text(BAD_REQUEST, "bad request target " + Text.quote(uri) + " (expected: a path such as /metrics)");
        }
        switch (path) {
            case "/metrics":
                return get(method, () -> new Answer(OK, PrometheusMetrics.CONTENT_TYPE, metrics.get(), Map.of()));
            case "/healthz":
                return get(method, () -> Answer.text(OK, "ok"));
            case "/readyz":
                return get(method, () -> ready.getAsBoolean()
                        ? Answer.text(OK, "ready") : Answer.text(SERVICE_UNAVAILABLE, "draining"));
            case "/routes":
                return get(method, () -> Answer.json(OK, RoutesJson.of(routes.routes())));
            case "/reload":
                return post(method, headers, () -> reload());
            default:
                break;
        }
        if (path.startsWith(ROUTES_PREFIX)) {
            String[] parts = path.substring(ROUTES_PREFIX.length()).split("/", -1);
            if (parts.length == 2 && !parts[0].isEmpty()) {
                String name;
                try {
                    name = QueryStringDecoder.decodeComponent(parts[0]);
                } catch (IllegalArgumentException e) {
                    return Answer.text(BAD_REQUEST, "bad route name " + Text.quote(parts[0]) + " (expected: a route name)");
                }
                Optional<Policy> policy = switch (parts[1]) {
                    case "abort" -> Optional.of(Policy.ABORT);
                    case "drain" -> Optional.of(Policy.GRACEFUL);
                    default -> Optional.empty();
                };
                if (policy.isPresent()) {
                    return post(method, headers, () -> endSessions(name, parts[1], policy.get(), parameters));
                }
            }
        }
        return Answer.text(NOT_FOUND, "no such path: " + Text.quote(path) + " (expected one of: " + PATHS + ")");
    }

    /**
     * Blocks while the file is read and listeners are bound: {@link AdminHandler} runs on its own
     * executor, never on an I/O loop.
     */
    private Answer reload() {
        Reload outcome = reloader.get();
        Map<String, String> json = new LinkedHashMap<>();
        json.put("result", Json.string(outcome.success() ? "success" : "failure"));
        if (outcome.success()) {
            json.put("added", Json.strings(outcome.added()));
            json.put("changed", Json.strings(outcome.changed()));
            json.put("removed", Json.strings(outcome.removed()));
            json.put("unchanged", Json.strings(outcome.unchanged()));
            json.put("restart-needed", Json.strings(outcome.restartNeeded()));
            return Answer.json(OK, Json.object(json));
        }
        json.put("problems", Json.strings(outcome.problems()));
        return Answer.json(UNPROCESSABLE_ENTITY, Json.object(json));
    }

    private static Answer get(HttpMethod method, Supplier<Answer> call) {
        if (!HttpMethod.GET.equals(method)) {
            return notAllowed(method, HttpMethod.GET);
        }
        return call.get();
    }

    private Answer post(HttpMethod method, HttpHeaders headers, Supplier<Answer> call) {
        if (!HttpMethod.POST.equals(method)) {
            return notAllowed(method, HttpMethod.POST);
        }
        return switch (token.check(headers.get(HttpHeaderNames.AUTHORIZATION))) {
            case ALLOWED -> call.get();
            case MISSING -> Answer.text(UNAUTHORIZED, "this call needs the header 'Authorization: Bearer <proxy.admin.token>'")
                    .withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer realm=\"linger\"");
            case WRONG -> Answer.text(FORBIDDEN, "the bearer token is not proxy.admin.token");
        };
    }

    private static Answer notAllowed(HttpMethod method, HttpMethod allowed) {
        return Answer.text(METHOD_NOT_ALLOWED, "method " + Text.quote(method.name()) + " not allowed here (expected: "
                + allowed.name() + ")").withHeader(HttpHeaderNames.ALLOW.toString(), allowed.name());
    }

    private Answer endSessions(String name, String action, Policy policy, Map<String, List<String>> parameters) {
        for (String parameter : parameters.keySet()) {
            if (!UPSTREAM.equals(parameter)) {
                // A misspelt filter must not widen an abort to every session of the route.
                return Answer.text(BAD_REQUEST, "unknown parameter " + Text.quote(parameter) + " (expected: upstream)");
            }
        }
        List<String> values = parameters.getOrDefault(UPSTREAM, List.of());
        if (values.size() > 1) {
            return Answer.text(BAD_REQUEST, "upstream: given " + values.size() + " times (expected: at most once)");
        }
        Optional<RouteView> route = routes.routes().stream().filter(view -> view.name().equals(name)).findFirst();
        if (route.isEmpty()) {
            return noRoute(name);
        }
        Optional<HostPort> upstream = Optional.empty();
        if (!values.isEmpty()) {
            try {
                upstream = Optional.of(HostPort.parse(values.get(0)));
            } catch (IllegalArgumentException e) {
                return Answer.text(BAD_REQUEST, "upstream: " + Text.quote(values.get(0)) + " (" + e.getMessage() + ")");
            }
            if (!route.get().config().upstreams().contains(upstream.get())) {
                return Answer.text(NOT_FOUND, "route " + Text.quote(name) + " has no upstream " + Text.quote(values.get(0))
                        + " (expected one of: " + route.get().config().upstreams() + ")");
            }
        }
        OptionalInt touched = routes.endSessions(name, policy, upstream);
        if (touched.isEmpty()) {
            return noRoute(name); // removed between the look-up and the call
        }
        String upstreamText = upstream.map(HostPort::toString).orElse(null);
        log.info("admin {}: route {}{}: teardown begun on {} session(s), trigger admin", action, name,
                upstream.map(u -> " upstream " + u).orElse(""), touched.getAsInt());
        Map<String, String> json = new LinkedHashMap<>();
        json.put("route", Json.string(name));
        json.put("action", Json.string(action));
        json.put("trigger", Json.string(Trigger.ADMIN.key()));
        json.put("policy", Json.string(policy.key()));
        json.put(UPSTREAM, Json.string(upstreamText));
        json.put("sessions", Integer.toString(touched.getAsInt()));
        return Answer.json(OK, Json.object(json));
    }

    private Answer noRoute(String name) {
        return Answer.text(NOT_FOUND, "no route " + Text.quote(name) + " (expected one of: "
                + routes.routes().stream().map(RouteView::name).toList() + ")");
    }
}
