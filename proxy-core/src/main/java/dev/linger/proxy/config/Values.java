package dev.linger.proxy.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Conversions of raw configuration values that do not depend on where the value sits. */
final class Values {

    private static final int LONGEST_SHOWN_VALUE = 60;

    private Values() {
    }

    /** The text of a string, number or boolean; strings set from environment variables arrive as text. */
    static Optional<String> scalar(ConfigValue value) {
        return switch (value.valueType()) {
            case STRING, NUMBER, BOOLEAN -> Optional.of(String.valueOf(value.unwrapped()));
            default -> Optional.empty();
        };
    }

    static Optional<Long> wholeNumber(ConfigValue value) {
        Object raw = value.unwrapped();
        if (raw instanceof Integer || raw instanceof Long) {
            return Optional.of(((Number) raw).longValue());
        }
        if (raw instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < Long.MAX_VALUE ? Optional.of(d.longValue()) : Optional.empty();
        }
        if (raw instanceof String s) {
            try {
                return Optional.of(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code 'value'} as written, on one line and cut short when it is a whole object. */
    static String show(ConfigValue value) {
        String text = value.valueType() == ConfigValueType.STRING
                ? (String) value.unwrapped()
                : value.render(ConfigRenderOptions.concise());
        if (text.length() > LONGEST_SHOWN_VALUE) {
            text = text.substring(0, LONGEST_SHOWN_VALUE - 3) + "...";
        }
        return "'" + text + "'";
    }

    /** {@code a, b or c}. */
    static String either(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
                + " or " + names.get(names.size() - 1);
    }
}
