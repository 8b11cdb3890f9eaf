package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The variables a {@code cel:} expression sees. {@code request}: method, url, host, path, source_ip, time
 * (epoch seconds). {@code identity}: sub, email, email_verified (bool), groups, claims (name → list), auth_time (epoch seconds),
 * or an empty map when anonymous. {@code device}: id, known, managed, trust, disk_encrypted, screen_lock, os,
 * os_version, owner, reported_at (epoch seconds), or an empty map when none was presented. Absent values are
 * left out, so expressions test with {@code has(identity.email)}; reading a missing key fails the criterion.
 */
final class CelInput {
    private CelInput() {
    }

    static Map<String, Object> of(Request r) {
        Map<String, Object> request = new HashMap<>();
        request.put("method", r.method());
        request.put("url", r.url().toString());
        put(request, "host", r.url().getHost());
        request.put("path", PathsCriterion.pathOf(r));
        request.put("source_ip", r.sourceIp());
        request.put("time", r.time().getEpochSecond());
        return Map.of("request", request, "identity", identity(r.identity()), "device", device(r.device()));
    }

    private static Map<String, Object> identity(@Nullable Identity i) {
        Map<String, Object> m = new HashMap<>();
        if (i != null) {
            m.put("sub", i.sub());
            put(m, "email", i.email());
            m.put("email_verified", i.emailVerified());
            m.put("groups", i.groups());
            m.put("claims", i.claims());
            put(m, "auth_time", i.authTime() == null ? null : i.authTime().getEpochSecond());
        }
        return m;
    }

    private static Map<String, Object> device(@Nullable DevicePosture d) {
        Map<String, Object> m = new HashMap<>();
        if (d != null) {
            m.put("id", d.id());
            m.put("known", d.known());
            m.put("managed", d.managed());
            m.put("trust", d.trust().wireName());
            m.put("disk_encrypted", d.diskEncrypted());
            m.put("screen_lock", d.screenLock());
            put(m, "os", d.os());
            put(m, "os_version", d.osVersion());
            put(m, "owner", d.owner());
            put(m, "reported_at", d.reportedAt() == null ? null : d.reportedAt().getEpochSecond());
        }
        return m;
    }

    private static void put(Map<String, Object> m, String key, @Nullable Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
