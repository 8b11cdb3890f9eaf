package io.gatehouse.verifier;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who made a request, as the gateway asserted it and the verifier checked it. Immutable: the
 * groups and claims are unmodifiable copies. {@code email} is null when the identity has none
 * (a service account); {@code device} is null when no device was presented to the gateway.
 * {@code claims} holds every claim of the assertion, including the ones above. An assertion for an anonymous
 * request on a {@code public: true} route carries {@code anonymous: true}: see {@link #anonymous()}.
 */
public record GatehouseIdentity(
        String subject,
        @Nullable String email,
        List<String> groups,
        @Nullable Device device,
        String jti,
        String issuer,
        String audience,
        Instant issuedAt,
        Instant expiresAt,
        Map<String, Object> claims) {

    /** The device the request came from and the trust level the gateway computed for it. */
    public record Device(String id, String trust) {
        public Device {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(trust, "trust");
        }
    }

    public GatehouseIdentity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        groups = List.copyOf(groups);
        claims = deepUnmodifiable(Objects.requireNonNull(claims, "claims"));
    }

    /**
     * True when nobody signed in: the gateway let an anonymous request through a {@code public: true} route.
     * The subject is then only a placeholder, never a user; the Spring adapters treat it as anonymous.
     */
    public boolean anonymous() {
        return Boolean.TRUE.equals(claims.get("anonymous"));
    }

    /** True when the gateway said the user is in {@code group} (exact, case-sensitive). */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** How long the assertion stays valid from now; negative once it expired. */
    public Duration remainingLifetime(Clock clock) {
        return Duration.between(clock.instant(), expiresAt);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepUnmodifiable(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, (Object) deepValue(v)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Object deepValue(@Nullable Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepUnmodifiable((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<@Nullable Object> copy = new ArrayList<>(l.size());
            l.forEach(e -> copy.add(deepValue(e)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }
}
