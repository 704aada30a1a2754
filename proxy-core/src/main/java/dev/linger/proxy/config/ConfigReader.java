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
 * <p>Every value is a {@link Read}: the value, or a failed read whose problem is already recorded. Each
 * record is made by {@link Read#build} from its parts and only when all of them succeeded, so a value
 * that could not be used never reaches a record's constructor, and reading goes on past a bad value to
 * find the next.
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
     * alone, which decides what counts as an unknown top-level key. The result is only usable when
     * {@code problems} stayed empty: a problem such as an unknown key fails no read.
     */
    static Read<ProxyConfig> read(ConfigObject userRoot, ConfigObject resolved, Problems problems) {
        return new ConfigReader(problems).proxy(userRoot, resolved);
    }

    private Read<ProxyConfig> proxy(ConfigObject userRoot, ConfigObject resolved) {
        // Only the user's keys: another library's reference.conf on the class path may add its own.
        for (String key : userRoot.keySet()) {
            if (!key.equals(PROXY)) {
                Section.of(userRoot, List.of(), problems).unknown(key, "key", Set.of(PROXY), false);
            }
        }
        return Section.of(resolved, List.of(), problems).child(PROXY, "an object").flatMap(this::proxy);
    }

    private Read<ProxyConfig> proxy(Section proxy) {
        Read<TransportKind> transport = proxy.choice("transport", TransportKind::fromKey, TransportKind.values());
        Read<Integer> ioThreads = proxy.integer("io-threads", 0);
        Read<Duration> shutdownTimeout = proxy.duration("shutdown-timeout", Section.Bound.POSITIVE);
        Read<Duration> shutdownSpread = proxy.duration("shutdown-spread", Section.Bound.NON_NEGATIVE);
        Read<AdminConfig> admin = proxy.child("admin", "an object").flatMap(this::admin);
        Read<Boolean> accessLog = proxy.bool("access-log");

        Read<Section> defaults = proxy.child(ROUTE_DEFAULTS, "an object");
        defaults.ifOk(section -> {
            settings(section); // for its problems: each route reads its own settings over these
            section.checkUnknownKeys();
        });
        Read<List<RouteConfig>> routes = proxy.child("routes", "an object with one object per route")
                .flatMap(section -> routes(section, defaults));
        proxy.checkUnknownKeys();
        checkListenClashes();

        return Read.build(() -> new ProxyConfig(transport.get(), ioThreads.get(), shutdownTimeout.get(),
                shutdownSpread.get(), admin.get(), accessLog.get(), routes.get()),
                transport, ioThreads, shutdownTimeout, shutdownSpread, admin, accessLog, routes);
    }

    private Read<AdminConfig> admin(Section admin) {
        Read<Optional<HostPort>> listen = admin.optionalAddress("listen");
        Read<String> token = admin.string("token");
        admin.checkUnknownKeys();
        listen.ifOk(address -> address.ifPresent(a ->
                listeners.add(new Listener(null, a, admin.pathOf("listen"), admin.origin("listen")))));
        return Read.build(() -> new AdminConfig(listen.get(), token.get()), listen, token);
    }

    private Read<List<RouteConfig>> routes(Section routes, Read<Section> defaults) {
        List<Read<RouteConfig>> built = new ArrayList<>();
        for (String name : new TreeSet<>(routes.keys())) {
            ConfigValue value = routes.value(name).orElseThrow(); // one of keys()
            Read<String> checkedName = ROUTE_NAME.matcher(name).matches() ? Read.of(name)
                    : routes.report(routes.pathOf(name), "'" + name + "' (expected: a route name of letters,"
                            + " digits, '-', '_' and '.' only)", value.origin());
            if (!(value instanceof ConfigObject own)) {
                built.add(routes.bad(name, value, "an object with listen and upstreams"));
                continue;
            }
            List<String> path = List.of(PROXY, "routes", name);
            Section route = defaults.ok()
                    ? Section.inheriting(own, path, defaults.get())
                    : Section.of(own, path, problems);
            built.add(route(name, checkedName, route));
        }
        return Read.all(built);
    }

    /** {@code checkedName} is {@code name}, failed when it is no valid route name. */
    private Read<RouteConfig> route(String name, Read<String> checkedName, Section route) {
        Read<HostPort> listen = route.address("listen");
        Read<List<AddressReads.WeightedAddress>> upstreams = route.upstreams("upstreams");
        Read<Settings> settings = settings(route);
        route.checkUnknownKeys();
        listen.ifOk(address -> listeners.add(
                new Listener(name, address, route.pathOf("listen"), route.origin("listen"))));
        return Read.build(() -> {
            Settings s = settings.get();
            return new RouteConfig(checkedName.get(), listen.get(),
                    upstreams.get().stream().map(AddressReads.WeightedAddress::address).toList(),
                    upstreams.get().stream().map(AddressReads.WeightedAddress::weight).toList(), s.connectTimeout(),
                    s.idleTimeout(), s.maxDuration(), s.maxConnections(), s.balance(), s.connectRetries(),
                    s.ejection(), s.healthCheck(), s.teardown(), s.proxyProtocol());
        }, checkedName, listen, upstreams, settings);
    }

    private Read<Settings> settings(Section section) {
        Read<Duration> connectTimeout = section.duration("connect-timeout", Section.Bound.POSITIVE);
        Read<Duration> idleTimeout = section.duration("idle-timeout", Section.Bound.POSITIVE);
        Read<Duration> maxDuration = section.duration("max-duration", Section.Bound.NON_NEGATIVE);
        Read<Integer> maxConnections = section.integer("max-connections", 1);
        Read<Balance> balance = section.choice("balance", Balance::fromKey, Balance.values());
        Read<Integer> connectRetries = section.retries("connect-retries");
        Read<EjectionConfig> ejection = section.child("ejection", "an object").flatMap(this::ejection);
        Read<HealthCheckConfig> healthCheck = section.child("health-check", "an object").flatMap(this::healthCheck);
        Read<TeardownConfig> teardown = section.child("teardown", "an object").flatMap(this::teardown);
        Read<ProxyProtocolConfig> proxyProtocol = section.child("proxy-protocol", "an object")
                .flatMap(this::proxyProtocol);
        return Read.build(() -> new Settings(connectTimeout.get(), idleTimeout.get(), maxDuration.get(),
                maxConnections.get(), balance.get(), connectRetries.get(), ejection.get(), healthCheck.get(),
                teardown.get(), proxyProtocol.get()),
                connectTimeout, idleTimeout, maxDuration, maxConnections, balance, connectRetries, ejection,
                healthCheck, teardown, proxyProtocol);
    }

    private Read<ProxyProtocolConfig> proxyProtocol(Section section) {
        Read<Boolean> accept = section.bool("accept");
        Read<List<Cidr>> trusted = section.networks("trusted-sources");
        Read<ProxyProtocolVersion> send = section.choice("send", ProxyProtocolVersion::fromKey,
                ProxyProtocolVersion.values());
        section.checkUnknownKeys();
        // Named on accept, which the user just set: the empty list is usually the inherited default.
        Read<Boolean> checkedAccept = accept.ok() && accept.get() && trusted.ok() && trusted.get().isEmpty()
                ? section.bad("accept", section.value("accept").orElseThrow(), "false, or trusted-sources"
                        + " naming the networks allowed to send a header, such as [\"10.0.0.0/8\"]")
                : accept;
        return Read.build(() -> new ProxyProtocolConfig(checkedAccept.get(), trusted.get(), send.get()),
                checkedAccept, trusted, send);
    }

    private Read<EjectionConfig> ejection(Section ejection) {
        Read<Integer> failures = ejection.integer("failures", 0);
        Read<Duration> coolDown = ejection.duration("cool-down", Section.Bound.POSITIVE);
        ejection.checkUnknownKeys();
        return Read.build(() -> new EjectionConfig(failures.get(), coolDown.get()), failures, coolDown);
    }

    private Read<HealthCheckConfig> healthCheck(Section check) {
        // Checks are scheduled on the event loops: a microsecond interval would keep them busy.
        Read<Duration> interval = check.duration("interval", Section.Bound.OFF_OR_POSITIVE).flatMap(value ->
                value.isZero() || value.compareTo(MIN_CHECK_INTERVAL) >= 0 ? Read.of(value)
                        : check.bad("interval", check.value("interval").orElseThrow(), "0s to turn checks off,"
                                + " or at least " + MIN_CHECK_INTERVAL.toMillis() + "ms such as 5s"));
        Read<Duration> timeout = check.duration("timeout", Section.Bound.POSITIVE);
        Read<Integer> rise = check.integer("rise", 1);
        Read<Integer> fall = check.integer("fall", 1);
        check.checkUnknownKeys();
        return Read.build(() -> new HealthCheckConfig(interval.get(), timeout.get(), rise.get(), fall.get()),
                interval, timeout, rise, fall);
    }

    private Read<TeardownConfig> teardown(Section teardown) {
        Read<Policy> policy = teardown.choice("policy", Policy::fromKey, Policy.values());
        Read<Duration> lingerTimeout = teardown.duration("linger-timeout", Section.Bound.POSITIVE);
        Read<Map<Trigger, Policy>> overrides = teardown.child("on", "an object of trigger = policy")
                .flatMap(this::overrides);
        teardown.checkUnknownKeys();
        return Read.build(() -> new TeardownConfig(policy.get(), lingerTimeout.get(), overrides.get()),
                policy, lingerTimeout, overrides);
    }

    /** {@code teardown.on}: every key must be a trigger name, so they are checked here, not as keys. */
    private Read<Map<Trigger, Policy>> overrides(Section on) {
        List<Read<Map.Entry<Trigger, Policy>>> overrides = new ArrayList<>();
        for (String key : on.keys()) {
            overrides.add(Trigger.fromKey(key)
                    .map(trigger -> on.choice(key, Policy::fromKey, Policy.values())
                            .map(policy -> Map.entry(trigger, policy)))
                    .orElseGet(() -> on.unknown(key, "trigger", TRIGGER_NAMES, true)));
        }
        return Read.all(overrides).map(entries -> {
            Map<Trigger, Policy> byTrigger = new EnumMap<>(Trigger.class);
            entries.forEach(entry -> byTrigger.put(entry.getKey(), entry.getValue()));
            return byTrigger;
        });
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
