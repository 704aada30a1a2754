package dev.linger.proxy.config;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose constants have a lower-case name, the key, in configuration files, metric tags and the
 * access log: {@code ROUND_ROBIN} is {@code round-robin}. Each implementing enum keeps its own
 * {@code fromKey(String)} and a {@code toString()} that returns the key (an interface cannot supply
 * {@code toString}); both are one line over the helpers here.
 */
public interface Keyed {

    /** Implemented by {@link Enum#name()}. */
    String name();

    /** The name used in configuration files, metric tags and the access log: lower case, '-' between words. */
    default String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} whose key is {@code key}, if there is one. */
    static <E extends Enum<E> & Keyed> Optional<E> fromKey(Class<E> type, String key) {
        for (E constant : type.getEnumConstants()) {
            if (constant.key().equals(key)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
