package dev.linger.proxy.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One object of the configuration ({@code proxy}, {@code proxy.admin}, a route, its {@code teardown})
 * read key by key. A bad value becomes a line in {@link Problems} and a {@code null} result instead of
 * an exception, so one pass finds every problem. Each key read is remembered, so whatever is left over
 * is an unknown key, and the set of known keys is the code that reads them rather than a second list.
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
    private static final Pattern WEIGHT = Pattern.compile("weight=(\\d{1,4})");
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

    /** The object under {@code key}, or null (and a problem) when it is something else. */
    Section child(String key, String expected) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        if (!(value instanceof ConfigObject object)) {
            bad(key, value, expected);
            return null;
        }
        ConfigValue ownValue = own.get(key);
        ConfigObject ownObject = ownValue instanceof ConfigObject o ? o : EMPTY;
        return new Section(object, ownObject, append(path, key), append(inheritedPath, key), problems);
    }

    Duration duration(String key, Bound bound) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, bound.expected);
            return null;
        }
        Optional<String> text = Values.scalar(value);
        if (text.isEmpty()) {
            bad(key, value, bound.expected);
            return null;
        }
        if (BARE_NUMBER.matcher(text.get()).matches()) {
            String number = text.get().trim();
            if (Double.parseDouble(number) != 0) {
                bad(key, value, "a duration with a unit such as " + number + "s or " + number + "ms");
                return null;
            }
            if (bound == Bound.POSITIVE) {
                bad(key, value, bound.expected);
                return null;
            }
            return Duration.ZERO;
        }
        Duration duration;
        try {
            duration = ConfigFactory.empty().withValue("d", value).getDuration("d");
        } catch (ConfigException e) {
            bad(key, value, bound.expected);
            return null;
        }
        if (duration.isNegative() || (duration.isZero() && bound == Bound.POSITIVE)) {
            bad(key, value, bound.expected);
            return null;
        }
        return duration;
    }

    Integer integer(String key, int min) {
        String expected = "an integer >= " + min;
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        Optional<Long> number = Values.wholeNumber(value);
        if (number.isEmpty() || number.get() < min || number.get() > Integer.MAX_VALUE) {
            bad(key, value, expected);
            return null;
        }
        return number.get().intValue();
    }

    /** One of {@code choices}, named in the file by its {@code toString()}. */
    <E> E choice(String key, Function<String, Optional<E>> byName, E[] choices) {
        String expected = Values.either(Arrays.stream(choices).map(String::valueOf).toList());
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        Optional<E> choice = Values.scalar(value).flatMap(byName);
        if (choice.isEmpty()) {
            bad(key, value, expected);
        }
        return choice.orElse(null);
    }

    /** {@code true} or {@code false} (HOCON also reads {@code on}/{@code off}, {@code yes}/{@code no}). */
    Boolean bool(String key) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, "true or false");
            return null;
        }
        Optional<String> text = Values.scalar(value);
        switch (text.orElse("")) {
            case "true", "on", "yes":
                return true;
            case "false", "off", "no":
                return false;
            default:
                bad(key, value, "true or false");
                return null;
        }
    }

    String string(String key) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, "a string");
            return null;
        }
        Optional<String> text = Values.scalar(value);
        if (text.isEmpty()) {
            bad(key, value, "a string");
        }
        return text.orElse(null);
    }

    HostPort address(String key) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, "host:port");
            return null;
        }
        return address(key, value);
    }

    /** An address, or empty where {@code ""} turns the listener off; null when it is bad. */
    Optional<HostPort> optionalAddress(String key) {
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, "host:port, or \"\" to disable");
            return null;
        }
        if (value.valueType() == ConfigValueType.STRING && ((String) value.unwrapped()).isBlank()) {
            return Optional.empty();
        }
        HostPort address = address(key, value);
        return address == null ? null : Optional.of(address);
    }

    /** One entry of {@code upstreams}: an address and its weight. */
    record WeightedAddress(HostPort address, int weight) {
    }

    /**
     * A non-empty list of upstreams, each {@code host:port} or {@code "host:port weight=N"}, none listed
     * twice; null when it, or any element, is bad. A bad element is reported with its index.
     */
    List<WeightedAddress> upstreams(String key) {
        String expected = "a list of host:port such as [\"10.0.0.1:80\", \"10.0.0.2:80 weight=2\"]";
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        if (!(value instanceof ConfigList list)) {
            bad(key, value, expected);
            return null;
        }
        if (list.isEmpty()) {
            bad(key, value, "at least one host:port");
            return null;
        }
        List<WeightedAddress> upstreams = new ArrayList<>();
        Set<HostPort> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String element = pathOf(key) + "[" + i + "]";
            WeightedAddress upstream = weightedAddress(element, list.get(i));
            if (upstream != null && !seen.add(upstream.address())) {
                badAt(element, list.get(i), "each upstream listed once; weight=N gives one a larger share");
                upstream = null;
            }
            upstreams.add(upstream);
        }
        return upstreams.contains(null) ? null : List.copyOf(upstreams);
    }

    /**
     * {@code connect-retries}: an integer >= 0, or {@code all} for each upstream once
     * ({@link RouteConfig#EACH_UPSTREAM}).
     */
    Integer retries(String key) {
        String expected = "an integer >= 0, or all (each upstream once)";
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        if (Values.scalar(value).map(String::trim).filter("all"::equals).isPresent()) {
            return RouteConfig.EACH_UPSTREAM;
        }
        Optional<Long> number = Values.wholeNumber(value);
        if (number.isEmpty() || number.get() < 0 || number.get() > Integer.MAX_VALUE) {
            bad(key, value, expected);
            return null;
        }
        return number.get().intValue();
    }

    /** A list of networks such as {@code ["10.0.0.0/8", "::1/128"]}; may be empty. */
    List<Cidr> networks(String key) {
        String expected = "a list of networks such as [\"10.0.0.0/8\", \"::1/128\"]";
        ConfigValue value = value(key);
        if (value == null) {
            missing(key, expected);
            return null;
        }
        if (!(value instanceof ConfigList list)) {
            bad(key, value, expected);
            return null;
        }
        List<Cidr> networks = new ArrayList<>();
        boolean allGood = true;
        for (ConfigValue element : list) {
            Optional<String> text = Values.scalar(element);
            try {
                networks.add(Cidr.parse(text.orElseThrow(() -> new IllegalArgumentException(
                        "expected: an IP address or network such as 10.0.0.0/8 or ::1/128"))));
            } catch (IllegalArgumentException e) {
                problems.add(pathOf(key), Values.show(element) + " (" + e.getMessage() + ")", element.origin());
                allGood = false;
            }
        }
        return allGood ? List.copyOf(networks) : null;
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

    /** Records a problem with {@code key}'s value. */
    void bad(String key, ConfigValue value, String expected) {
        badAt(pathOf(key), value, expected);
    }

    /** Records a problem with the value at display path {@code path} (e.g. an element of a list). */
    private void badAt(String path, ConfigValue value, String expected) {
        problems.add(path, Values.show(value) + " (expected: " + expected + ")", value.origin());
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
    void unknown(String key, String what, Set<String> candidates, boolean listAlways) {
        Optional<String> closest = KeyChecker.closest(key, candidates);
        String all = "expected one of: " + String.join(", ", candidates);
        String hint = closest.map(c -> "did you mean '" + c + "'?" + (listAlways ? " " + all : ""))
                .orElse(all);
        problems.add(pathOf(key), "unknown " + what + " (" + hint + ")", origin(key));
    }

    /** The value of {@code key}, or null when it is missing (a {@code null} in the file is a value). */
    ConfigValue value(String key) {
        known.add(key);
        return values.get(key);
    }

    /** An element of {@code upstreams}; {@code path} names it with its index. */
    private WeightedAddress weightedAddress(String path, ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            badAt(path, value, "host:port");
            return null;
        }
        String text = ((String) value.unwrapped()).trim();
        String[] words = text.split("\\s+");
        ParsedAddress first = ParsedAddress.of(words[0]);
        if (words.length == 1 || first.address() == null) {
            // Not an address followed by options: the whole text says best what is wrong ('web server:80').
            HostPort address = address(path, value, text);
            return address == null ? null : new WeightedAddress(address, 1);
        }
        Matcher weight = WEIGHT.matcher(words[1]); // at most 4 digits, so parsing cannot overflow
        if (words.length > 2 || !weight.matches() || Integer.parseInt(weight.group(1)) < 1
                || Integer.parseInt(weight.group(1)) > RouteConfig.MAX_WEIGHT) {
            badAt(path, value, "host:port or 'host:port weight=N' with N 1-" + RouteConfig.MAX_WEIGHT);
            return null;
        }
        return new WeightedAddress(first.address(), Integer.parseInt(weight.group(1)));
    }

    private HostPort address(String key, ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            bad(key, value, "host:port");
            return null;
        }
        return address(pathOf(key), value, (String) value.unwrapped());
    }

    private HostPort address(String path, ConfigValue value, String text) {
        ParsedAddress parsed = ParsedAddress.of(text);
        if (parsed.address() == null) {
            badAt(path, value, parsed.expected());
        }
        return parsed.address();
    }

    /** An address, or (with a null address) what was expected instead. */
    private record ParsedAddress(HostPort address, String expected) {

        static ParsedAddress of(String text) {
            HostPort address;
            try {
                address = HostPort.parse(text);
            } catch (IllegalArgumentException e) {
                return new ParsedAddress(null, String.valueOf(e.getMessage()).replaceFirst("^expected: ", ""));
            }
            return Addresses.hostProblem(address).map(problem -> new ParsedAddress(null, problem))
                    .orElse(new ParsedAddress(address, null));
        }
    }

    private void missing(String key, String expected) {
        problems.add(pathOf(key), "missing (expected: " + expected + ")", origin());
    }

    private static List<String> append(List<String> path, String key) {
        List<String> longer = new ArrayList<>(path);
        longer.add(key);
        return List.copyOf(longer);
    }
}
