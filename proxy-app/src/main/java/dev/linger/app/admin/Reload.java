package dev.linger.app.admin;

import java.util.List;

/**
 * What a reload did: on success, which routes it added, changed, removed and left alone, and which
 * process-wide settings still need a restart; on failure, every problem, one line each.
 */
public record Reload(boolean success, List<String> added, List<String> changed, List<String> removed,
        List<String> unchanged, List<String> restartNeeded, List<String> problems) {

    public Reload {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        unchanged = List.copyOf(unchanged);
        restartNeeded = List.copyOf(restartNeeded);
        problems = List.copyOf(problems);
    }

    public static Reload failed(List<String> problems) {
        return new Reload(false, List.of(), List.of(), List.of(), List.of(), List.of(), problems);
    }
}
