package io.gatehouse.gateway.settings;

import io.gatehouse.policy.parse.Suggest;

/**
 * The distance between a misspelt property name and a known one: the policy engine's {@link Suggest#distance}
 * (optimal string alignment: insertions, deletions, substitutions and swaps of neighbours, one edit each), so the
 * gateway's "did you mean" and the policy's agree. Kept as this one-line seam only so that {@code KnownProperties},
 * under restructuring elsewhere, need not change in the same step; call {@link Suggest#distance} directly after.
 */
final class SpellingDistance {

    private SpellingDistance() {
    }

    static int between(String a, String b) {
        return Suggest.distance(a, b);
    }
}
