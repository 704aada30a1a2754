package dev.linger.proxy.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One object of the configuration ({@code proxy}, {@code proxy.admin}, a route, its {@code teardown})
 * read key by key. Every read returns a {@link Read}: the value, or a failed read after the problem was
 * recorded in {@link Problems}, so one pass finds every problem. Each key read is remembered, so whatever
 * is left over is an unknown key, and the set of known keys is the code that reads them rather than a
 * second list. Addresses and the upstream list are read by {@link AddressReads}.
 *
 * <p>A route section also knows which keys the route wrote itself: a value it inherited is reported
 * under {@code proxy.route-defaults}, once, rather than under every route.
 */
final class Section {

    enum Bound {
        POSITIVE("a duration > 0 such as 500ms, 5s or 10m"),
        NON_NEGATIVE("a duration >= 0 such as 0s, 500ms or 4h"),
        OFF_OR_POSITIVE("a duration >= 0 such as 5s (0 = off)");

        private final String expected;

        Bound(String expected) {
            this.expected = expected;
        }
    }

    private static final ConfigObject EMPTY = ConfigFactory.empty().root();
    // A duration without a unit is read by Typesafe Config as milliseconds, which an operator who meant
    // seconds would only discover when every session dies at once; only 0 is unambiguous.
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?\\s*");

    private final ConfigObject values;        // what is read: own keys over inherited ones
    private final ConfigObject own;           // what this section wrote itself; unknown keys come from here
    private final List<String> path;
    private final List<String> inheritedPath; // where keys not in own are reported (route-defaults)
    private final Problems problems;
    private final Set<String> known = new LinkedHashSet<>();

    private Section(ConfigObject values, ConfigObject own, List<String> path, List<String> inheritedPath,
            Problems problems) {
        this.values = values;
        this.own = own;
        this.path = path;
        this.inheritedPath = inheritedPath;
        this.problems = problems;
    }

    /** A section that inherits nothing: every key in {@code values} is its own. */
    static Section of(ConfigObject values, List<String> path, Problems problems) {
        return new Section(values, values, List.copyOf(path), List.copyOf(path), problems);
    }

    /** A section whose {@code own} keys lie over those of {@code defaults} (a route over route-defaults). */
    static Section inheriting(ConfigObject own, List<String> path, Section defaults) {
        return new Section(own.withFallback(defaults.values), own, List.copyOf(path), defaults.path,
                defaults.problems);
    }

    /** Every key present, own and inherited. */
    Set<String> keys() {
        return values.keySet();
    }

    /** Where this section is written, for problems about keys it lacks. */
    ConfigOrigin origin() {
        return own.isEmpty() && !values.isEmpty() ? values.origin() : own.origin();
    }

    /** The object under {@code key}; failed when it is missing or something else. */
    Read<Section> child(String key, String expected) {
        return present(key, expected).flatMap(value -> {
            if (!(value instanceof ConfigObject object)) {
                return bad(key, value, expected);
            }
            ConfigValue ownValue = own.get(key);
            ConfigObject ownObject = ownValue instanceof ConfigObject o ? o : EMPTY;
            return Read.of(new Section(object, ownObject, append(path, key), append(inheritedPath, key), problems));
        });
    }

    Read<Duration> duration(String key, Bound bound) {
        return present(key, bound.expected).flatMap(value -> {
            Optional<String> text = Values.scalar(value);
            if (text.isEmpty()) {
                return bad(key, value, bound.expected);
            }
            if (BARE_NUMBER.matcher(text.get()).matches()) {
                String number = text.get().trim();
                if (Double.parseDouble(number) != 0) {
                    return bad(key, value, "a duration with a unit such as " + number + "s or " + number + "ms");
                }
                return bound == Bound.POSITIVE ? bad(key, value, bound.expected) : Read.of(Duration.ZERO);
            }
            Duration duration;
            try {
                duration = ConfigFactory.empty().withValue("d", value).getDuration("d");
            } catch (ConfigException e) {
                return bad(key, value, bound.expected);
            }
            if (duration.isNegative() || (duration.isZero() && bound == Bound.POSITIVE)) {
                return bad(key, value, bound.expected);
            }
            return Read.of(duration);
        });
    }

    Read<Integer> integer(String key, int min) {
        String expected = "an integer >= " + min;
        return present(key, expected).flatMap(value -> intAtLeast(key, value, min, expected));
    }

    /**
     * {@code connect-retries}: an integer >= 0, or {@code all} for each upstream once
     * ({@link RouteConfig#EACH_UPSTREAM}).
     */
    Read<Integer> retries(String key) {
        String expected = "an integer >= 0, or all (each upstream once)";
        return present(key, expected).flatMap(value ->
                Values.scalar(value).map(String::trim).filter("all"::equals).isPresent()
                        ? Read.of(RouteConfig.EACH_UPSTREAM)
                        : intAtLeast(key, value, 0, expected));
    }

    /** One of {@code choices}, named in the file by its {@code toString()}. */
    <E> Read<E> choice(String key, Function<String, Optional<E>> byName, E[] choices) {
        String expected = Values.either(Arrays.stream(choices).map(String::valueOf).toList());
        return present(key, expected).flatMap(value -> Values.scalar(value).flatMap(byName)
                .map(Read::of).orElseGet(() -> bad(key, value, expected)));
    }

    /** {@code true} or {@code false} (HOCON also reads {@code on}/{@code off}, {@code yes}/{@code no}). */
    Read<Boolean> bool(String key) {
        return present(key, "true or false").flatMap(value -> switch (Values.scalar(value).orElse("")) {
            case "true", "on", "yes" -> Read.of(true);
            case "false", "off", "no" -> Read.of(false);
            default -> bad(key, value, "true or false");
        });
    }

    Read<String> string(String key) {
        return present(key, "a string").flatMap(value ->
                Values.scalar(value).map(Read::of).orElseGet(() -> bad(key, value, "a string")));
    }

    Read<HostPort> address(String key) {
        return present(key, "host:port").flatMap(value -> AddressReads.address(this, key, value));
    }

    /** An address, or empty where {@code ""} turns the listener off. */
    Read<Optional<HostPort>> optionalAddress(String key) {
        return present(key, "host:port, or \"\" to disable").flatMap(value -> AddressReads.optional(this, key, value));
    }

    /** The upstream list; see {@link AddressReads#upstreams}. */
    Read<List<AddressReads.WeightedAddress>> upstreams(String key) {
        return AddressReads.upstreams(this, key);
    }

    /** A list of networks such as {@code ["10.0.0.0/8", "::1/128"]}; may be empty. */
    Read<List<Cidr>> networks(String key) {
        String expected = "a list of networks such as [\"10.0.0.0/8\", \"::1/128\"]";
        return present(key, expected).flatMap(value -> {
            if (!(value instanceof ConfigList list)) {
                return bad(key, value, expected);
            }
            List<Read<Cidr>> networks = new ArrayList<>();
            for (ConfigValue element : list) {
                Optional<String> text = Values.scalar(element);
                try {
                    networks.add(Read.of(Cidr.parse(text.orElseThrow(() -> new IllegalArgumentException(
                            "expected: an IP address or network such as 10.0.0.0/8 or ::1/128")))));
                } catch (IllegalArgumentException e) {
                    networks.add(report(pathOf(key), Values.show(element) + " (" + e.getMessage() + ")",
                            element.origin()));
                }
            }
            return Read.all(networks);
        });
    }

    /** Where {@code key}'s value is written; the section itself when the key is missing. */
    ConfigOrigin origin(String key) {
        ConfigValue value = values.get(key);
        return value != null ? value.origin() : origin();
    }

    /** The display path of {@code key}: under route-defaults when the value is inherited from there. */
    String pathOf(String key) {
        return ConfigUtil.joinPath(append(own.containsKey(key) || !values.containsKey(key) ? path : inheritedPath,
                key));
    }

    /** Records {@code path: detail at file:line}; the one way a read fails. */
    <T> Read<T> report(String path, String detail, ConfigOrigin origin) {
        problems.add(path, detail, origin);
        return Read.failed();
    }

    /** Records a problem with {@code key}'s value. */
    <T> Read<T> bad(String key, ConfigValue value, String expected) {
        return badAt(pathOf(key), value, expected);
    }

    /** Records a problem with the value at display path {@code path} (e.g. an element of a list). */
    <T> Read<T> badAt(String path, ConfigValue value, String expected) {
        return report(path, Values.show(value) + " (expected: " + expected + ")", value.origin());
    }

    /** Reports every key this section wrote itself but nobody read. */
    void checkUnknownKeys() {
        Set<String> candidates = Set.copyOf(known);
        for (String key : own.keySet()) {
            if (!candidates.contains(key)) {
                unknown(key, "key", known, false);
            }
        }
    }

    /**
     * Records {@code key} as unknown, with the closest of {@code candidates} when one is near enough;
     * {@code listAlways} also lists every candidate, for vocabularies worth learning (trigger names).
     */
    <T> Read<T> unknown(String key, String what, Set<String> candidates, boolean listAlways) {
        Optional<String> closest = KeyChecker.closest(key, candidates);
        String all = "expected one of: " + String.join(", ", candidates);
        String hint = closest.map(c -> "did you mean '" + c + "'?" + (listAlways ? " " + all : ""))
                .orElse(all);
        return report(pathOf(key), "unknown " + what + " (" + hint + ")", origin(key));
    }

    /** The value of {@code key}, empty when it is missing (a {@code null} in the file is a value). */
    Optional<ConfigValue> value(String key) {
        known.add(key);
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key}; failed, reported as missing, when there is none. */
    Read<ConfigValue> present(String key, String expected) {
        return value(key).map(Read::of)
                .orElseGet(() -> report(pathOf(key), "missing (expected: " + expected + ")", origin()));
    }

    private Read<Integer> intAtLeast(String key, ConfigValue value, int min, String expected) {
        return Values.wholeNumber(value).filter(number -> number >= min && number <= Integer.MAX_VALUE)
                .map(number -> Read.of(number.intValue())).orElseGet(() -> bad(key, value, expected));
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return List.copyOf(longer);
    }
}
