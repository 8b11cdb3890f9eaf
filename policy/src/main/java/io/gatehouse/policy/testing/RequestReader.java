package io.gatehouse.policy.testing;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns the REQUEST.json shape (docs/design.md, "The policy CLI"), already parsed into maps and lists by Jackson or
 * by the YAML reader, into a {@link Request}. Absent {@code identity} is anonymous, absent {@code device} is none
 * presented, absent {@code time} is {@code now}. Device flags absent count false and trust absent counts
 * untrusted (fail closed). Anything malformed throws {@link IllegalArgumentException} naming the field.
 */
public final class RequestReader {
    private static final Set<String> TOP = Set.of("method", "url", "source_ip", "time", "identity", "device",
            "device_notes");
    private static final Set<String> IDENTITY = Set.of("sub", "email", "email_verified", "groups", "claims", "auth_time");
    private static final Set<String> DEVICE = Set.of("id", "known", "managed", "trust", "disk_encrypted", "screen_lock",
            "os", "os_version", "owner", "reported_at");

    private RequestReader() {
    }

    public static Request read(@Nullable Object json, Instant now) {
        Map<String, Object> m = map(json, "request", TOP);
        Object identity = m.get("identity");
        Object device = m.get("device");
        return new Request(text(m, "method", "request", true), url(text(m, "url", "request", true)),
                text(m, "source_ip", "request", true), instantOr(m, "time", "request", now),
                identity == null ? null : identity(identity), device == null ? null : device(device),
                        notes(m.get("device_notes")));
    }

    private static Identity identity(Object json) {
        Map<String, Object> m = map(json, "identity", IDENTITY);
        Map<String, List<String>> claims = new LinkedHashMap<>();
        Object raw = m.get("claims");
        if (raw != null) {
            map(raw, "identity.claims", null).forEach((k, v) -> claims.put(k,
                    v instanceof List<?> ? strings(v, "identity.claims." + k) : List.of(String.valueOf(v))));
        }
        Identity identity = new Identity(text(m, "sub", "identity", true), text(m, "email", "identity", false),
                m.get("groups") == null ? List.of() : strings(m.get("groups"), "identity.groups"), claims,
                instantOr(m, "auth_time", "identity", null));
        Object verified = m.get("email_verified");
        if (verified == null) {
            return identity; // verified unless claims.email_verified says otherwise
        }
        if (!(verified instanceof Boolean b)) {
            throw new IllegalArgumentException("identity.email_verified: expected true or false, found " + verified);
        }
        return new Identity(identity.sub(), identity.email(), identity.groups(), identity.claims(),
                identity.authTime(), b);
    }

    private static DevicePosture device(Object json) {
        Map<String, Object> m = map(json, "device", DEVICE);
        String trustText = text(m, "trust", "device", false);
        TrustLevel trust = trustText == null ? TrustLevel.UNTRUSTED : TrustLevel.parse(trustText)
                .orElseThrow(() -> new IllegalArgumentException("device.trust: \"" + trustText
                        + "\" is not one of untrusted, basic, high"));
        return new DevicePosture(text(m, "id", "device", true), flag(m, "known"), flag(m, "managed"), trust,
                flag(m, "disk_encrypted"), flag(m, "screen_lock"), text(m, "os", "device", false),
                text(m, "os_version", "device", false), text(m, "owner", "device", false),
                instantOr(m, "reported_at", "device", null));
    }

    private static List<Reason> notes(@Nullable Object json) {
        List<Reason> out = new ArrayList<>();
        if (json == null) {
            return out;
        }
        if (!(json instanceof List<?> list)) {
            throw new IllegalArgumentException("device_notes: expected a list");
        }
        for (Object item : list) {
            if (item instanceof Map<?, ?> note) {
                Map<String, Object> n = map(note, "device_notes[]", Set.of("code", "text"));
                out.add(new Reason(text(n, "code", "device_notes[]", true), text(n, "text", "device_notes[]", true)));
            } else {
                out.add(new Reason("device-note", String.valueOf(item)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(@Nullable Object json, String where, @Nullable Set<String> keys) {
        if (!(json instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        Map<String, Object> m = (Map<String, Object>) raw;
        if (keys != null) {
            for (String k : m.keySet()) {
                if (!keys.contains(k)) {
                    throw new IllegalArgumentException(where + ": unknown field \"" + k + "\"; expected one of "
                            + keys);
                }
            }
        }
        return m;
    }

    private static List<String> strings(Object json, String where) {
        if (!(json instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": expected a list");
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static @Nullable String text(Map<String, Object> m, String key, String where, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException(where + "." + key + ": missing");
            }
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(where + "." + key + ": expected a text");
        }
        return String.valueOf(v);
    }

    private static boolean flag(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("device." + key + ": expected true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    private static @Nullable Instant instantOr(Map<String, Object> m, String key, String where,
            @Nullable Instant fallback) {
        String v = text(m, key, where, false);
        if (v == null) {
            return fallback;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + key + ": \"" + v
                    + "\" is not a UTC time like 2026-11-23T09:30:00Z");
        }
    }

    private static URI url(String text) {
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw new IllegalArgumentException("request.url: \"" + text + "\" is not an absolute URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("request.url: \"" + text + "\" is not a URL: " + e.getReason());
        }
    }
}
