package io.gatehouse.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Who is asking, as the gateway established it (session or bearer token). The field names are those of the
 * {@code identity} object in REQUEST.json (docs/design.md, "The policy CLI"). {@code claims} holds any other token
 * claims as lists of strings; {@code authTime} is absent when the IdP did not say when the login happened.
 * {@code emailVerified} says whether the IdP vouched for {@code email}: when false, no criterion that looks at the
 * email ({@code emails}, {@code domains}, {@code owner_is_user}) holds (docs/policy.md, "Verified email").
 */
public record Identity(
        String sub,
        @Nullable String email,
        List<String> groups,
        Map<String, List<String>> claims,
        @Nullable Instant authTime,
        boolean emailVerified) {

    /** The claim an OIDC IdP uses to say whether it verified {@code email} (OIDC Core 5.1). */
    public static final String EMAIL_VERIFIED_CLAIM = "email_verified";

    public Identity {
        Objects.requireNonNull(sub, "sub");
        groups = List.copyOf(groups);
        claims = Map.copyOf(claims);
    }

    /**
     * An identity whose email counts as verified unless its {@code email_verified} claim says otherwise: a claim
     * holding exactly {@code "true"} or no such claim means verified, anything else (notably
     * {@code "false"}) means not verified. For callers that carry the IdP's claims as they came (sessions, tests).
     */
    public Identity(String sub, @Nullable String email, List<String> groups, Map<String, List<String>> claims,
                    @Nullable Instant authTime) {
        this(sub, email, groups, claims, authTime, verifiedUnlessDenied(claims));
    }

    /** The email when the IdP verified it, else null: what the email criteria compare. */
    public @Nullable String verifiedEmail() {
        return emailVerified ? email : null;
    }

    private static boolean verifiedUnlessDenied(Map<String, List<String>> claims) {
        List<String> value = claims == null ? null : claims.get(EMAIL_VERIFIED_CLAIM);
        return value == null || (value.size() == 1 && "true".equals(value.get(0)));
    }
}
