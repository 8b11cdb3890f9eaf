package io.gatehouse.policy;

import java.util.Locale;
import java.util.Optional;

/** A device's trust level, ordered: {@code untrusted < basic < high}. A rule asks for "at least" a level. */
public enum TrustLevel {
    UNTRUSTED, BASIC, HIGH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean atLeast(TrustLevel required) {
        return compareTo(required) >= 0;
    }

    /** Parses the wire name ({@code high}); empty for anything else, so callers report their own error. */
    public static Optional<TrustLevel> parse(String text) {
        for (TrustLevel level : values()) {
            if (level.wireName().equals(text)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
