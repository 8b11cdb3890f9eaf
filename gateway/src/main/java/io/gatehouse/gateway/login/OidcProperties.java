package io.gatehouse.gateway.login;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.oidc.*}: the IdP for browser logins. Without {@code issuer-uri} there is no browser login and a
 * request without credentials gets 401 as an API call would. {@code scopes} default to openid, email, profile;
 * {@code refresh-skew} (default 30 s) is how long before the access token's expiry it is refreshed;
 * {@code session-max-age} (default 8 h) ends a session whatever happens; {@code login-timeout} (default 10 min) is how
 * long a started login may take; {@code id-token-algorithm} is the IdP's ID token signature algorithm (RS256).
 */
@ConfigurationProperties("gatehouse.oidc")
public record OidcProperties(@Nullable String issuerUri, @Nullable String clientId, @Nullable String clientSecret,
                             @Nullable List<String> scopes, @Nullable Duration refreshSkew,
                             @Nullable Duration sessionMaxAge, @Nullable Duration loginTimeout,
                             @Nullable String idTokenAlgorithm) {

    public OidcProperties {
        scopes = scopes == null || scopes.isEmpty() ? List.of("openid", "email", "profile") : List.copyOf(scopes);
        refreshSkew = refreshSkew == null ? Duration.ofSeconds(30) : refreshSkew;
        sessionMaxAge = sessionMaxAge == null ? Duration.ofHours(8) : sessionMaxAge;
        loginTimeout = loginTimeout == null ? Duration.ofMinutes(10) : loginTimeout;
        idTokenAlgorithm = idTokenAlgorithm == null ? "RS256" : idTokenAlgorithm;
        if (issuerUri != null && !issuerUri.isBlank()) {
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("gatehouse.oidc.client-id is required with gatehouse.oidc.issuer-uri");
            }
            if (!scopes.contains("openid")) {
                throw new IllegalArgumentException("gatehouse.oidc.scopes must contain openid, found " + scopes);
            }
        }
    }

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }
}
