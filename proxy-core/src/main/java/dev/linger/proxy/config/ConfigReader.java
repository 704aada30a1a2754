package dev.linger.proxy.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the resolved configuration tree into the immutable records, validating every value on the way.
 *
 * <p>Each reader returns null for a value it could not use, having recorded why. Records are built only
 * while no problem has been recorded at all: a null then cannot reach a record's constructor, and a
 * configuration with any problem is thrown away whole anyway.
 */
final class ConfigReader {

    private static final String PROXY = "proxy";
    private static final String ROUTE_DEFAULTS = "route-defaults";
    // The name is the `route` tag of every metric, so it must be a plain, bounded tag value.
    private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Set<String> TRIGGER_NAMES = triggerNames();
    private static final Duration MIN_CHECK_INTERVAL = Duration.ofMillis(10);

    /** Settings a route takes from route-defaults unless it overrides them. */
    private record Settings(Duration connectTimeout, Duration idleTimeout, Duration maxDuration,
            int maxConnections, Balance balance, int connectRetries, EjectionConfig ejection,
            HealthCheckConfig healthCheck, TeardownConfig teardown, ProxyProtocolConfig proxyProtocol) {
    }

    /** A route's listen address and where it is written, kept even when the route is bad elsewhere. */
    private record Listener(String route, HostPort address, String path, ConfigOrigin origin) {
    }

    private final Problems problems;
    private final List<Listener> listeners = new ArrayList<>();

    private ConfigReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads {@code resolved} (the user's file over reference.conf); {@code userRoot} is the user's file
     * alone, which decides what counts as an unknown top-level key. Returns null when there are problems.
     */
    static ProxyConfig read(ConfigObject userRoot, ConfigObject resolved, Problems problems) {
        return new ConfigReader(problems).proxy(userRoot, resolved);
    }

    private ProxyConfig proxy(ConfigObject userRoot, ConfigObject resolved) {
        // Only the user's keys: another library's reference.conf on the class path may add its own.
        for (String key : userRoot.keySet()) {
            if (!key.equals(PROXY)) {
                Section.of(userRoot, List.of(), problems).unknown(key, "key", Set.of(PROXY), false);
            }
        }
        Section proxy = Section.of(resolved, List.of(), problems).child(PROXY, "an object");
        if (proxy == null) {
            return null;
        }
        TransportKind transport = proxy.choice("transport", TransportKind::fromKey, TransportKind.values());
        Integer ioThreads = proxy.integer("io-threads", 0);
        Duration shutdownTimeout = proxy.duration("shutdown-timeout", Section.Bound.POSITIVE);
        Duration shutdownSpread = proxy.duration("shutdown-spread", Section.Bound.NON_NEGATIVE);
        AdminConfig admin = admin(proxy.child("admin", "an object"));
        Boolean accessLog = proxy.bool("access-log");

        Section defaults = proxy.child(ROUTE_DEFAULTS, "an object");
        if (defaults != null) {
            settings(defaults);
            defaults.checkUnknownKeys();
        }
        List<RouteConfig> routes = routes(proxy.child("routes", "an object with one object per route"), defaults);
        proxy.checkUnknownKeys();
        checkListenClashes();

        if (!problems.isEmpty()) {
            return null;
        }
        return new ProxyConfig(transport, ioThreads, shutdownTimeout, shutdownSpread, admin, accessLog, routes);
    }

    private AdminConfig admin(Section admin) {
        if (admin == null) {
            return null;
        }
        Optional<HostPort> listen = admin.optionalAddress("listen");
        String token = admin.string("token");
        admin.checkUnknownKeys();
        if (listen != null && listen.isPresent()) {
            listeners.add(new Listener(null, listen.get(), admin.pathOf("listen"), admin.origin("listen")));
        }
        return problems.isEmpty() ? new AdminConfig(listen, token) : null;
    }

    private List<RouteConfig> routes(Section routes, Section defaults) {
        if (routes == null) {
            return null;
        }
        List<RouteConfig> built = new ArrayList<>();
        for (String name : new TreeSet<>(routes.keys())) {
            ConfigValue value = routes.value(name);
            if (!ROUTE_NAME.matcher(name).matches()) {
                problems.add(routes.pathOf(name), "'" + name + "' (expected: a route name of letters, digits,"
                        + " '-', '_' and '.' only)", value.origin());
            }
            if (!(value instanceof ConfigObject own)) {
                routes.bad(name, value, "an object with listen and upstreams");
                continue;
            }
            Section route = defaults != null
                    ? Section.inheriting(own, List.of(PROXY, "routes", name), defaults)
                    : Section.of(own, List.of(PROXY, "routes", name), problems);
            built.add(route(name, route));
        }
        return problems.isEmpty() ? built : null;
    }

    private RouteConfig route(String name, Section route) {
        HostPort listen = route.address("listen");
        List<Section.WeightedAddress> upstreams = route.upstreams("upstreams");
        Settings settings = settings(route);
        route.checkUnknownKeys();
        if (listen != null) {
            listeners.add(new Listener(name, listen, route.pathOf("listen"), route.origin("listen")));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new RouteConfig(name, listen, upstreams.stream().map(Section.WeightedAddress::address).toList(),
                upstreams.stream().map(Section.WeightedAddress::weight).toList(), settings.connectTimeout(),
                settings.idleTimeout(), settings.maxDuration(), settings.maxConnections(), settings.balance(),
                settings.connectRetries(), settings.ejection(), settings.healthCheck(), settings.teardown(),
                settings.proxyProtocol());
    }

    private Settings settings(Section section) {
        Duration connectTimeout = section.duration("connect-timeout", Section.Bound.POSITIVE);
        Duration idleTimeout = section.duration("idle-timeout", Section.Bound.POSITIVE);
        Duration maxDuration = section.duration("max-duration", Section.Bound.NON_NEGATIVE);
        Integer maxConnections = section.integer("max-connections", 1);
        Balance balance = section.choice("balance", Balance::fromKey, Balance.values());
        Integer connectRetries = section.retries("connect-retries");
        EjectionConfig ejection = ejection(section.child("ejection", "an object"));
        HealthCheckConfig healthCheck = healthCheck(section.child("health-check", "an object"));
        TeardownConfig teardown = teardown(section.child("teardown", "an object"));
        ProxyProtocolConfig proxyProtocol = proxyProtocol(section.child("proxy-protocol", "an object"));
        if (!problems.isEmpty()) {
            return null;
        }
        return new Settings(connectTimeout, idleTimeout, maxDuration, maxConnections, balance, connectRetries,
                ejection, healthCheck, teardown, proxyProtocol);
    }

    private ProxyProtocolConfig proxyProtocol(Section section) {
        if (section == null) {
            return null;
        }
        Boolean accept = section.bool("accept");
        List<Cidr> trusted = section.networks("trusted-sources");
        ProxyProtocolVersion send = section.choice("send", ProxyProtocolVersion::fromKey, ProxyProtocolVersion.values());
        section.checkUnknownKeys();
        if (Boolean.TRUE.equals(accept) && trusted != null && trusted.isEmpty()) {
            // Named on accept, which the user just set: the empty list is usually the inherited default.
            section.bad("accept", section.value("accept"),
                    "false, or trusted-sources naming the networks allowed to send a header, such as [\"10.0.0.0/8\"]");
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ProxyProtocolConfig(accept, trusted, send);
    }

    private EjectionConfig ejection(Section ejection) {
        if (ejection == null) {
            return null;
        }
        Integer failures = ejection.integer("failures", 0);
        Duration coolDown = ejection.duration("cool-down", Section.Bound.POSITIVE);
        ejection.checkUnknownKeys();
        return problems.isEmpty() ? new EjectionConfig(failures, coolDown) : null;
    }

    private HealthCheckConfig healthCheck(Section check) {
        if (check == null) {
            return null;
        }
        Duration interval = check.duration("interval", Section.Bound.OFF_OR_POSITIVE);
        if (interval != null && !interval.isZero() && interval.compareTo(MIN_CHECK_INTERVAL) < 0) {
            // Checks are scheduled on the event loops: a microsecond interval would keep them busy.
            check.bad("interval", check.value("interval"), "0s to turn checks off, or at least "
                    + MIN_CHECK_INTERVAL.toMillis() + "ms such as 5s");
        }
        Duration timeout = check.duration("timeout", Section.Bound.POSITIVE);
        Integer rise = check.integer("rise", 1);
        Integer fall = check.integer("fall", 1);
        check.checkUnknownKeys();
        return problems.isEmpty() ? new HealthCheckConfig(interval, timeout, rise, fall) : null;
    }

    private TeardownConfig teardown(Section teardown) {
        if (teardown == null) {
            return null;
        }
        Policy policy = teardown.choice("policy", Policy::fromKey, Policy.values());
        Duration lingerTimeout = teardown.duration("linger-timeout", Section.Bound.POSITIVE);
        Map<Trigger, Policy> overrides = overrides(teardown.child("on", "an object of trigger = policy"));
        teardown.checkUnknownKeys();
        if (!problems.isEmpty()) {
            return null;
        }
        return new TeardownConfig(policy, lingerTimeout, overrides);
    }

    /** {@code teardown.on}: every key must be a trigger name, so they are checked here, not as keys. */
    private Map<Trigger, Policy> overrides(Section on) {
        if (on == null) {
            return null;
        }
        Map<Trigger, Policy> overrides = new EnumMap<>(Trigger.class);
        for (String key : on.keys()) {
            Optional<Trigger> trigger = Trigger.fromKey(key);
            if (trigger.isEmpty()) {
                on.unknown(key, "trigger", TRIGGER_NAMES, true);
                continue;
            }
            Policy policy = on.choice(key, Policy::fromKey, Policy.values());
            if (policy != null) {
                overrides.put(trigger.get(), policy);
            }
        }
        return overrides;
    }

    /**
     * Two listeners on one address cannot both bind. The later one in the file is reported, naming the
     * earlier, since that is the one the operator most likely just added.
     */
    private void checkListenClashes() {
        List<Listener> inFileOrder = new ArrayList<>(listeners);
        // The admin listener sorts first: moving a route is the usual fix, moving the admin port rarely.
        inFileOrder.sort(Comparator.comparing((Listener l) -> l.route() != null)
                .thenComparingInt(l -> l.origin().lineNumber())
                .thenComparing(l -> String.valueOf(l.route())));
        for (int i = 1; i < inFileOrder.size(); i++) {
            Listener later = inFileOrder.get(i);
            for (Listener earlier : inFileOrder.subList(0, i)) {
                if (Addresses.overlap(earlier.address(), later.address())) {
                    String owner = earlier.route() == null ? "the admin listener" : "route '" + earlier.route() + "'";
                    problems.add(later.path(), "'" + later.address() + "' (expected: an address no other listener"
                            + " uses; " + owner + " listens on '" + earlier.address() + "')", later.origin());
                    break;
                }
            }
        }
    }

    private static Set<String> triggerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (Trigger trigger : Trigger.values()) {
            names.add(trigger.key());
        }
        return Collections.unmodifiableSet(names);
    }
}
