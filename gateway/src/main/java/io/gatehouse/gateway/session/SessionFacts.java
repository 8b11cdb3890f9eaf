package io.gatehouse.gateway.session;

import io.gatehouse.policy.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.session.Session;

/**
 * What a browser session knows: the identity the ID token named (built by the same {@code ClaimsMapper} as a
 * bearer token's: {@code sub}, {@code email} and whether it is verified, groups, other claims, {@code auth_time}),
 * the IdP's {@code sid}, the tokens the gateway needs later (refresh token for the refresh grant; the ID token, never
 * put into a URL: logout names the client instead), when the access token expires (refresh is due before) and when
 * the session ends whatever happens. Stored as plain attributes so that any session repository can hold it; a
 * session stored before {@code emailVerified} was (issue 17) reads it from its {@code email_verified} claim as
 * sessions always did (absent or {@code "true"}: verified).
 */
public record SessionFacts(Identity identity, @Nullable String sid, @Nullable String refreshToken, String idToken,
                           Instant accessExpiresAt, Instant expiresAt) {

    private static final String PREFIX = "gatehouse.";

    public SessionFacts {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public String sub() {
        return identity.sub();
    }

    /**
     * The same session after a refresh: the refreshed identity's groups, claims and (when it has one) email, the
     * same sub and login time; new tokens; the same sid and end.
     */
    public SessionFacts refreshed(Identity fresh, @Nullable String newRefreshToken, @Nullable String newIdToken,
                                  Instant newAccessExpiry) {
        boolean newEmail = fresh.email() != null;
        Identity next = new Identity(identity.sub(), newEmail ? fresh.email() : identity.email(), fresh.groups(),
                fresh.claims(), identity.authTime(), newEmail ? fresh.emailVerified() : identity.emailVerified());
        return new SessionFacts(next, sid, newRefreshToken != null ? newRefreshToken : refreshToken,
                newIdToken != null ? newIdToken : idToken, newAccessExpiry, expiresAt);
    }

    void writeTo(Session session) {
        session.setAttribute(PREFIX + "sub", identity.sub());
        session.setAttribute(PREFIX + "email", identity.email());
        session.setAttribute(PREFIX + "emailVerified", identity.emailVerified());
        session.setAttribute(PREFIX + "groups", new ArrayList<>(identity.groups()));
        HashMap<String, ArrayList<String>> plainClaims = new HashMap<>();
        identity.claims().forEach((k, v) -> plainClaims.put(k, new ArrayList<>(v)));
        session.setAttribute(PREFIX + "claims", plainClaims);
        Instant authTime = identity.authTime();
        session.setAttribute(PREFIX + "authTime", authTime == null ? null : authTime.getEpochSecond());
        session.setAttribute(PREFIX + "sid", sid);
        session.setAttribute(PREFIX + "refreshToken", refreshToken);
        session.setAttribute(PREFIX + "idToken", idToken);
        session.setAttribute(PREFIX + "accessExpiresAt", accessExpiresAt.getEpochSecond());
        session.setAttribute(PREFIX + "expiresAt", expiresAt.getEpochSecond());
    }

    /** The facts of a session, or null when it is not a login session (e.g. a pre-login one). */
    static @Nullable SessionFacts readFrom(Session session) {
        String sub = session.getAttribute(PREFIX + "sub");
        String idToken = session.getAttribute(PREFIX + "idToken");
        Long access = session.getAttribute(PREFIX + "accessExpiresAt");
        Long expires = session.getAttribute(PREFIX + "expiresAt");
        if (sub == null || idToken == null || access == null || expires == null) {
            return null;
        }
        List<String> groups = session.getAttribute(PREFIX + "groups");
        Map<String, List<String>> claims = session.getAttribute(PREFIX + "claims");
        Long authTime = session.getAttribute(PREFIX + "authTime");
        Boolean emailVerified = session.getAttribute(PREFIX + "emailVerified");
        String email = session.getAttribute(PREFIX + "email");
        Instant auth = authTime == null ? null : Instant.ofEpochSecond(authTime);
        Map<String, List<String>> claimsOrNone = claims == null ? Map.of() : claims;
        List<String> groupsOrNone = groups == null ? List.of() : groups;
        // Written before emailVerified was stored: the rule sessions had then (Identity's five-argument form).
        Identity identity = emailVerified == null ? new Identity(sub, email, groupsOrNone, claimsOrNone, auth)
                : new Identity(sub, email, groupsOrNone, claimsOrNone, auth, emailVerified);
        return new SessionFacts(identity, session.getAttribute(PREFIX + "sid"),
                session.getAttribute(PREFIX + "refreshToken"), idToken, Instant.ofEpochSecond(access),
                Instant.ofEpochSecond(expires));
    }
}
