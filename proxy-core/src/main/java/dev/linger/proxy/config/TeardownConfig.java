package dev.linger.proxy.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A route's teardown settings: the default policy, per-trigger overrides and the linger deadline.
 *
 * @param policy        the policy for every trigger not listed in {@code overrides}
 * @param lingerTimeout how long a gracefully closing session may take to drain before it is reset
 * @param overrides     per-trigger policies ({@code teardown.on})
 */
public record TeardownConfig(Policy policy, Duration lingerTimeout, Map<Trigger, Policy> overrides) {

    public TeardownConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(lingerTimeout, "lingerTimeout");
        overrides = overrides.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(overrides));
    }

    /** The policy that decides how a session ends when {@code trigger} began its teardown. */
    public Policy policyFor(Trigger trigger) {
        return overrides.getOrDefault(trigger, policy);
    }
}
