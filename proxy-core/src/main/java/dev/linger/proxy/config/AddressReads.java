package dev.linger.proxy.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code host:port} values of a {@link Section}: listen addresses and the upstream list. */
final class AddressReads {

    private static final Pattern WEIGHT = Pattern.compile("weight=(\\d{1,4})");

    /** One entry of {@code upstreams}: an address and its weight. */
    record WeightedAddress(HostPort address, int weight) {
    }

    private AddressReads() {
    }

    /** {@code value}, the value of {@code key} in {@code section}, as an address. */
    static Read<HostPort> address(Section section, String key, ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            return section.bad(key, value, "host:port");
        }
        return address(section, section.pathOf(key), value, (String) value.unwrapped());
    }

    /** Like {@link #address}, but {@code ""} is a listener turned off: empty. */
    static Read<Optional<HostPort>> optional(Section section, String key, ConfigValue value) {
        if (value.valueType() == ConfigValueType.STRING && ((String) value.unwrapped()).isBlank()) {
            return Read.of(Optional.empty());
        }
        return address(section, key, value).map(Optional::of);
    }

    /**
     * A non-empty list of upstreams, each {@code host:port} or {@code "host:port weight=N"}, none listed
     * twice; failed when it, or any element, is bad. A bad element is reported with its index.
     */
    static Read<List<WeightedAddress>> upstreams(Section section, String key) {
        String expected = "a list of host:port such as [\"10.0.0.1:80\", \"10.0.0.2:80 weight=2\"]";
        return section.present(key, expected).flatMap(value -> {
            if (!(value instanceof ConfigList list)) {
                return section.bad(key, value, expected);
            }
            if (list.isEmpty()) {
                return section.bad(key, value, "at least one host:port");
            }
            List<Read<WeightedAddress>> upstreams = new ArrayList<>();
            Set<HostPort> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                String element = section.pathOf(key) + "[" + i + "]";
                Read<WeightedAddress> upstream = weightedAddress(section, element, list.get(i));
                if (upstream.ok() && !seen.add(upstream.get().address())) {
                    upstream = section.badAt(element, list.get(i),
                            "each upstream listed once; weight=N gives one a larger share");
                }
                upstreams.add(upstream);
            }
            return Read.all(upstreams);
        });
    }

    /** An element of {@code upstreams}; {@code path} names it with its index. */
    private static Read<WeightedAddress> weightedAddress(Section section, String path, ConfigValue value) {
        if (value.valueType() != ConfigValueType.STRING) {
            return section.badAt(path, value, "host:port");
        }
        String text = ((String) value.unwrapped()).trim();
        String[] words = text.split("\\s+");
        Optional<HostPort> first = Parsed.of(words[0]).address();
        if (words.length == 1 || first.isEmpty()) {
            // Not an address followed by options: the whole text says best what is wrong ('web server:80').
            return address(section, path, value, text).map(address -> new WeightedAddress(address, 1));
        }
        Matcher weight = WEIGHT.matcher(words[1]); // at most 4 digits, so parsing cannot overflow
        if (words.length > 2 || !weight.matches() || Integer.parseInt(weight.group(1)) < 1
                || Integer.parseInt(weight.group(1)) > RouteConfig.MAX_WEIGHT) {
            return section.badAt(path, value, "host:port or 'host:port weight=N' with N 1-" + RouteConfig.MAX_WEIGHT);
        }
        return Read.of(new WeightedAddress(first.get(), Integer.parseInt(weight.group(1))));
    }

    private static Read<HostPort> address(Section section, String path, ConfigValue value, String text) {
        Parsed parsed = Parsed.of(text);
        return parsed.address().map(Read::of).orElseGet(() -> section.badAt(path, value, parsed.expected()));
    }

    /** {@code text} as an address, or what was expected instead. */
    private record Parsed(Optional<HostPort> address, String expected) {

        static Parsed of(String text) {
            HostPort address;
            try {
                address = HostPort.parse(text);
            } catch (IllegalArgumentException e) {
                return new Parsed(Optional.empty(), String.valueOf(e.getMessage()).replaceFirst("^expected: ", ""));
            }
            return Addresses.hostProblem(address).map(problem -> new Parsed(Optional.empty(), problem))
                    .orElse(new Parsed(Optional.of(address), ""));
        }
    }
}
