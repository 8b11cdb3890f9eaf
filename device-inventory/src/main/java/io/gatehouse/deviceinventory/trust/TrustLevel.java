package io.gatehouse.deviceinventory.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** A device's trust level, ordered {@code untrusted < basic < high}; the wire name is lower case. */
public enum TrustLevel {
    UNTRUSTED, BASIC, HIGH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name ({@code high}); empty for anything else, so the caller reports its own error. */
    public static Optional<TrustLevel> parse(String text) {
        for (TrustLevel level : values()) {
            if (level.wireName().equals(text)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
