package io.gatehouse.gateway.login;

import io.gatehouse.gateway.claims.ClaimsMapper;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.oidc.*}: the IdP for browser logins. Without {@code issuer-uri} there is no browser login and a
 * request without credentials gets 401 as an API call would. {@code scopes} default to openid, email, profile;
 * {@code refresh-skew} (default 30 s) is how long before the access token's expiry it is refreshed;
 * {@code session-max-age} (default 8 h) ends a session whatever happens (bound by
 * {@code session.SessionLifetimeProperties}, which the sessions below this package read); {@code login-timeout} (default 10 min) is how
 * long a started login may take; {@code id-token-algorithm} is the IdP's ID token signature algorithm (RS256).
 * {@code groups-claim} (default {@code groups}) names the claim holding the groups, and
 * {@code email-verified-required} (default false, unlike a bearer issuer's) whether an ID token without
 * {@code email_verified} has an unverified email: both read by the same {@link ClaimsMapper} as bearer tokens.
 */
@ConfigurationProperties("gatehouse.oidc")
public record OidcProperties(@Nullable String issuerUri, @Nullable String clientId, @Nullable String clientSecret,
                             @Nullable List<String> scopes, @Nullable Duration refreshSkew,
                             @Nullable Duration loginTimeout,
                             @Nullable String idTokenAlgorithm, @Nullable String groupsClaim,
                             @Nullable Boolean emailVerifiedRequired) {

    public OidcProperties {
        scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "email", "profile") : List.copyOf(scopes);
        refreshSkew = refreshSkew == null ? Duration.ofSeconds(30) : refreshSkew;
        loginTimeout = loginTimeout == null ? Duration.ofMinutes(10) : loginTimeout;
        idTokenAlgorithm = idTokenAlgorithm == null ? "RS256" : idTokenAlgorithm;
        groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim;
        // An absent email_verified in an ID token counts as verified, as sessions always had it.
        emailVerifiedRequired = emailVerifiedRequired != null && emailVerifiedRequired;
        if (issuerUri != null && !issuerUri.isBlank()) {
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("gatehouse.oidc.client-id is required with gatehouse.oidc.issuer-uri");
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException("gatehouse.oidc.scopes must contain openid, found " + scopes);
            }
        }
    }

    /** How the ID token's claims become the session's identity. */
    public ClaimsMapper.Rules claimsRules() {
        return new ClaimsMapper.Rules(groupsClaim, emailVerifiedRequired);
    }

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }
}
