package dev.linger.proxy.route;

import java.util.List;

/**
 * What a reload did, by route name: routes that started listening, routes whose new settings apply to
 * new sessions, routes that stopped (their sessions end with trigger shutdown), routes left untouched.
 */
public record ReloadResult(List<String> added, List<String> changed, List<String> removed, List<String> unchanged) {

    public ReloadResult {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
    }

    @Override
    public String toString() {
        return "added " + added + ", changed " + changed + ", removed " + removed + ", unchanged " + unchanged;
    }
}
