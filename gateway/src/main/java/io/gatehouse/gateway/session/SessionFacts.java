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
 * What a browser session knows: the identity facts from the ID token ({@code sub}, {@code email}, {@code groups},
 * other claims, {@code auth_time}, the IdP's {@code sid}), the tokens the gateway needs later (refresh token for the
 * refresh grant; the ID token, never put into a URL: logout names the client instead), when the access token expires (refresh is due before)
 * and when the session ends whatever happens. Stored as plain attributes so that any session repository can hold it.
 */
public record SessionFacts(String sub, @Nullable String email, List<String> groups, Map<String, List<String>> claims,
                           @Nullable Instant authTime, @Nullable String sid, @Nullable String refreshToken,
                           String idToken, Instant accessExpiresAt, Instant expiresAt) {

    private static final String PREFIX = "gatehouse.";

    public SessionFacts {
        Objects.requireNonNull(sub, "sub");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(accessExpiresAt, "accessExpiresAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        groups = List.copyOf(groups);
        claims = Map.copyOf(claims);
    }

    public Identity identity() {
        return new Identity(sub, email, groups, claims, authTime);
    }

    /** The same session after a refresh: new tokens and facts, the same login time, sid and end. */
    public SessionFacts refreshed(List<String> newGroups, Map<String, List<String>> newClaims, @Nullable String newEmail,
                                  @Nullable String newRefreshToken, @Nullable String newIdToken, Instant newAccessExpiry) {
        return new SessionFacts(sub, newEmail != null ? newEmail : email, newGroups, newClaims, authTime, sid,
                newRefreshToken != null ? newRefreshToken : refreshToken, newIdToken != null ? newIdToken : idToken,
                newAccessExpiry, expiresAt);
    }

    void writeTo(Session session) {
        session.setAttribute(PREFIX + "sub", sub);
        session.setAttribute(PREFIX + "email", email);
        session.setAttribute(PREFIX + "groups", new ArrayList<>(groups));
        HashMap<String, ArrayList<String>> plainClaims = new HashMap<>();
        claims.forEach((k, v) -> plainClaims.put(k, new ArrayList<>(v)));
        session.setAttribute(PREFIX + "claims", plainClaims);
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
        return new SessionFacts(sub, session.getAttribute(PREFIX + "email"), groups == null ? List.of() : groups,
                claims == null ? Map.of() : claims, authTime == null ? null : Instant.ofEpochSecond(authTime),
                session.getAttribute(PREFIX + "sid"), session.getAttribute(PREFIX + "refreshToken"), idToken,
                Instant.ofEpochSecond(access), Instant.ofEpochSecond(expires));
    }
}
