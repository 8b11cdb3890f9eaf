package io.gatehouse.deviceinventory.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One recorded change: {@code actor} is the token's subject, {@code client} the OAuth2 client it came through.
 * {@code changes} maps a field's JSON name to {@code {"from": old, "to": new}}; a created
 * device has {@code from} null everywhere.
 */
public record HistoryEntry(
        long seq,
        String deviceId,
        Instant at,
        String actor,
        @Nullable String client,
        Action action,
        @Nullable String reason,
        long version,
        Map<String, Change> changes) {

    public HistoryEntry {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        changes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(changes));
    }

    /** What kind of change; the wire name is lower case. */
    public enum Action {
        CREATED, UPDATED, REPORTED, QUARANTINED, RELEASED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A field's value before and after; either may be null. */
    public record Change(@Nullable Object from, @Nullable Object to) {
    }
}
