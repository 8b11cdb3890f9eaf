package io.gatehouse.verifier;

import static io.gatehouse.verifier.AssertionRejectedException.quote;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The claim checks of a signature-verified assertion: who issued it, for whom, when, and for which
 * request. Turns the payload into a {@link GatehouseIdentity} or names the first check that failed.
 */
final class AssertionClaims {
    private static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final String issuer;
    private final String audience;
    private final @Nullable String publicHost;
    private final Duration skew;
    private final Duration maxLifetime;
    private final Clock clock;

    AssertionClaims(String issuer, String audience, @Nullable String publicHost, Duration skew,
            Duration maxLifetime, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.publicHost = publicHost;
        this.skew = Objects.requireNonNull(skew, "skew");
        this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    GatehouseIdentity check(Map<String, Object> claims, String method, String host, String path)
            throws AssertionRejectedException {
        Object iss = claims.get("iss");
        if (!issuer.equals(iss)) {
            throw reject(RejectionReason.WRONG_ISSUER, "iss is " + quote(iss) + ", expected " + quote(issuer));
        }
        Object aud = claims.get("aud");
        // A single string only: a token minted for several audiences could be replayed at each of them.
        if (!audience.equals(aud)) {
            throw reject(RejectionReason.WRONG_AUDIENCE, "aud is " + quote(aud) + ", expected " + quote(audience));
        }
        Instant now = clock.instant();
        Instant exp = time(claims, "exp");
        Instant iat = time(claims, "iat");
        Instant nbf = optionalTime(claims, "nbf");
        if (now.isAfter(exp.plus(skew))) {
            throw reject(RejectionReason.EXPIRED, "expired at " + exp + ", now is " + now + " (skew " + skew.toSeconds() + " s)");
        }
        if (iat.isAfter(now.plus(skew))) {
            throw reject(RejectionReason.NOT_YET_VALID, "issued at " + iat + ", in the future; now is " + now);
        }
        if (nbf != null && nbf.isAfter(now.plus(skew))) {
            throw reject(RejectionReason.NOT_YET_VALID, "not before " + nbf + ", now is " + now);
        }
        if (Duration.between(iat, exp).compareTo(maxLifetime) > 0) {
            throw reject(RejectionReason.LIFETIME_TOO_LONG,
                    "lives " + Duration.between(iat, exp).toSeconds() + " s, at most " + maxLifetime.toSeconds() + " s accepted");
        }
        checkBinding(claims, method, host, path);
        return new GatehouseIdentity(text(claims, "sub"), optionalText(claims, "email"), groups(claims),
                device(claims), text(claims, "jti"), issuer, audience, iat, exp, claims);
    }

    private void checkBinding(Map<String, Object> claims, String method, String host, String path)
            throws AssertionRejectedException {
        Map<String, Object> http = object(claims, "http");
        if (http == null) {
            throw reject(RejectionReason.MALFORMED, "claim http (the request binding) is missing");
        }
        String boundMethod = text(http, "method");
        if (!boundMethod.equals(method)) {
            throw reject(RejectionReason.METHOD_MISMATCH,
                    "minted for method " + quote(boundMethod) + ", request is " + quote(method));
        }
        String expectedHost = publicHost != null ? publicHost : canonicalHost(host);
        String boundHost = text(http, "host");
        if (!canonicalHost(boundHost).equals(expectedHost)) {
            throw reject(RejectionReason.HOST_MISMATCH,
                    "minted for host " + quote(boundHost) + ", expected " + quote(expectedHost));
        }
        String boundPath = text(http, "path");
        if (!boundPath.equals(path)) {
            throw reject(RejectionReason.PATH_MISMATCH,
                    "minted for path " + quote(boundPath) + ", request is " + quote(path));
        }
    }

    /**
     * A host as the gateway binds it: lower case, without HTTPS's default port (the gateway's public listener is
     * HTTPS), so {@code App.Example:443}, {@code app.example:443} and {@code app.example} are one host and
     * {@code app.example:8443} another.
     */
    static String canonicalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(":443") && lower.length() > 4 ? lower.substring(0, lower.length() - 4) : lower;
    }

    private static GatehouseIdentity.@Nullable Device device(Map<String, Object> claims) throws AssertionRejectedException {
        Map<String, Object> device = object(claims, "device");
        return device == null ? null : new GatehouseIdentity.Device(text(device, "id"), text(device, "trust"));
    }

    private static List<String> groups(Map<String, Object> claims) throws AssertionRejectedException {
        Object value = claims.get("groups");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw reject(RejectionReason.MALFORMED, "claim groups is not an array");
        }
        List<String> groups = new ArrayList<>(list.size());
        for (Object g : list) {
            if (!(g instanceof String s)) {
                throw reject(RejectionReason.MALFORMED, "claim groups holds " + quote(g) + ", not a string");
            }
            groups.add(s);
        }
        return groups;
    }

    @SuppressWarnings("unchecked")
    private static @Nullable Map<String, Object> object(Map<String, Object> claims, String name)
            throws AssertionRejectedException {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?>)) {
            throw reject(RejectionReason.MALFORMED, "claim " + name + " is not an object");
        }
        return (Map<String, Object>) value;
    }

    private static Instant time(Map<String, Object> claims, String name) throws AssertionRejectedException {
        Instant value = optionalTime(claims, name);
        if (value == null) {
            throw reject(RejectionReason.MALFORMED, "claim " + name + " is missing");
        }
        return value;
    }

    private static @Nullable Instant optionalTime(Map<String, Object> claims, String name) throws AssertionRejectedException {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        // Bounded so that arithmetic with the skew can never overflow: 0 to the end of year 9999.
        if (!(value instanceof Number n) || !(n.doubleValue() >= 0 && n.doubleValue() <= MAX_EPOCH_SECOND)) {
            throw reject(RejectionReason.MALFORMED, "claim " + name + " is not a time in seconds since the epoch");
        }
        return Instant.ofEpochSecond(n.longValue());
    }

    private static String text(Map<String, Object> claims, String name) throws AssertionRejectedException {
        String value = optionalText(claims, name);
        if (value == null) {
            throw reject(RejectionReason.MALFORMED, "claim " + name + " is missing");
        }
        return value;
    }

    private static @Nullable String optionalText(Map<String, Object> claims, String name) throws AssertionRejectedException {
        Object value = claims.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isEmpty()) {
            throw reject(RejectionReason.MALFORMED, "claim " + name + " is not a non-empty string");
        }
        return s;
    }

    private static AssertionRejectedException reject(RejectionReason reason, String detail) {
        return new AssertionRejectedException(reason, detail);
    }
}
