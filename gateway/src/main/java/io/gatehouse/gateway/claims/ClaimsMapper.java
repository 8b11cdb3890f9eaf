package io.gatehouse.gateway.claims;

import io.gatehouse.policy.Identity;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping from a verified token's claims to an {@link Identity} (docs/design.md, "Identity: browser sessions
 * and bearer tokens"), so that a {@code groups} or {@code claims:} rule judges a user the same by bearer token and by
 * browser session. The claims are those of a token already verified by its caller (a bearer access token, an ID
 * token at login, the tokens of a refresh); the mapper verifies nothing. Rules:
 * <ul>
 *   <li>{@code sub}: a non-blank string, else {@link IllegalArgumentException} (a verifier let a token through that
 *       it must not have: a bug, not a credential problem);</li>
 *   <li>{@code email}: a string, else none;</li>
 *   <li>groups: the source's groups claim ({@link Rules#groupsClaim()}), a string or a list, as strings;</li>
 *   <li>{@code auth_time}: epoch seconds (or a date a JWT library already converted), else none;</li>
 *   <li>email verified: {@code email_verified} {@code true} (or {@code "true"}) yes; absent: as the source's
 *       {@link Rules#emailVerifiedRequired()} says; anything else (notably {@code false}) no;</li>
 *   <li>{@code claims}: every other claim except the protocol ones ({@link #PROTOCOL_CLAIMS}), as a list of strings:
 *       a string, number or boolean is one value, a list keeps its strings, numbers and booleans; an object, or a
 *       list with none of those, is left out. {@code email_verified} stays among them, as the IdP sent it.</li>
 * </ul>
 */
public final class ClaimsMapper {

    /**
     * Claims that say how the token was issued rather than who it names (RFC 7519, OIDC Core 2 and 3.1.3.6,
     * Keycloak's {@code session_state}), plus {@code sub}/{@code email}/{@code auth_time}, which have their own
     * fields: never put into {@code claims}. {@code acr} and {@code amr} are kept: how the user logged in is a fact a
     * rule may ask for.
     */
    public static final Set<String> PROTOCOL_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti",
            "email", "auth_time", "azp", "nonce", "sid", "at_hash", "c_hash", "typ", "session_state");

    /**
     * How one source of tokens is read. {@code groupsClaim}: the claim holding the groups. {@code
     * emailVerifiedRequired}: whether a token without {@code email_verified} has an unverified email. The defaults
     * differ by source and live in its properties: bearer issuers {@code true}
     * ({@code gatehouse.bearer.issuers[i].email-verified-required}), browser sessions {@code false}
     * ({@code gatehouse.oidc.email-verified-required}: the ID token comes from the IdP the gateway itself sent the
     * user to, with the {@code email} scope).
     */
    public record Rules(String groupsClaim, boolean emailVerifiedRequired) {

        public Rules {
            if (groupsClaim == null || groupsClaim.isBlank()) {
                throw new IllegalArgumentException("groupsClaim is blank");
            }
        }
    }

    private final Rules rules;

    public ClaimsMapper(Rules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public Rules rules() {
        return rules;
    }

    /** The identity the claims name (see the class comment); {@link IllegalArgumentException} without a sub. */
    public Identity identity(Map<String, ?> claims) {
        Object sub = claims.get("sub");
        if (!(sub instanceof String subject) || subject.isBlank()) {
            throw new IllegalArgumentException("the verified token has no sub");
        }
        Map<String, List<String>> other = new TreeMap<>();
        claims.forEach((name, value) -> {
            if (!PROTOCOL_CLAIMS.contains(name) && !name.equals(rules.groupsClaim())) {
                List<String> strings = strings(value);
                if (!strings.isEmpty()) {
                    other.put(name, strings);
                }
            }
        });
        String email = claims.get("email") instanceof String e ? e : null;
        return new Identity(subject, email, strings(claims.get(rules.groupsClaim())), other,
                instant(claims.get("auth_time")), emailVerified(claims.get(Identity.EMAIL_VERIFIED_CLAIM)));
    }

    private boolean emailVerified(@Nullable Object claim) {
        if (claim == null) {
            return !rules.emailVerifiedRequired();
        }
        return Boolean.TRUE.equals(claim) || "true".equals(claim);
    }

    private static @Nullable Instant instant(@Nullable Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof Date d) {
            return d.toInstant();
        }
        if (value instanceof Number n) {
            return Instant.ofEpochSecond(n.longValue());
        }
        return null;
    }

    private static List<String> strings(@Nullable Object value) {
        if (scalar(value)) {
            return List.of(value.toString());
        }
        if (value instanceof Collection<?> values) {
            return values.stream().filter(ClaimsMapper::scalar).map(Object::toString).toList();
        }
        return List.of();
    }

    private static boolean scalar(@Nullable Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }
}
