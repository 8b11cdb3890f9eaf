package io.gatehouse.policy.parse;

import java.util.Collection;
import java.util.Locale;

/**
 * Builds the "did you mean" part of an error for a misspelt word, from the words that are allowed; the one edit
 * distance of the project ({@link #distance}), shared with the gateway's unknown-property check.
 */
public final class Suggest {
    private Suggest() {
    }

    /** {@code did you mean "groups"? expected one of a, b} or just {@code expected one of a, b}. */
    public static String expected(String found, Collection<String> allowed) {
        String best = closest(found, allowed);
        String list = "expected one of " + String.join(", ", allowed);
        return best == null ? list : "did you mean \"" + best + "\"? " + list;
    }

    public static @org.jspecify.annotations.Nullable String closest(String found, Collection<String> allowed) {
        String needle = found.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : allowed) {
            int d = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int limit = Math.max(1, Math.min(3, needle.length() / 3));
        return bestDistance <= limit ? best : null;
    }

    /**
     * The optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions): the fewest
     * single-character insertions, deletions, substitutions and swaps of neighbours ("trsut") that turn {@code a}
     * into {@code b}, each costing one edit, like a typo does. Case-sensitive; {@link #closest} compares lower-cased.
     * Also the gateway's measure for a misspelt property name.
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
