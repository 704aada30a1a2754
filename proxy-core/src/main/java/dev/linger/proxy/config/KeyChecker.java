package dev.linger.proxy.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name an unknown key was probably meant to be, for a "did you mean" hint. */
final class KeyChecker {

    private KeyChecker() {
    }

    /**
     * The candidate closest to {@code key}, if it is close enough to be a typo: at most one edit for
     * short keys and two for longer ones, so that {@code on} does not suggest {@code io-threads}.
     * Case and {@code _} versus {@code -} count as typos too ({@code idle_timeout}, {@code Listen}).
     */
    static Optional<String> closest(String key, Collection<String> candidates) {
        String typed = key.toLowerCase(Locale.ROOT);
        int allowed = Math.min(2, Math.max(1, typed.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
