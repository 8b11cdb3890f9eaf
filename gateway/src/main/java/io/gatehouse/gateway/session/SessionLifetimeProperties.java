package io.gatehouse.gateway.session;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.oidc.session-max-age} (default 8 h, positive): a browser session ends this long after its login,
 * whatever else happens. Bound here, next to the sessions it ends, rather than with the other {@code gatehouse.oidc.*}
 * keys in {@code login.OidcProperties}: the session package sits below the login one and must not import it.
 */
@ConfigurationProperties("gatehouse.oidc")
public record SessionLifetimeProperties(@Nullable Duration sessionMaxAge) {

    public static final Duration DEFAULT_SESSION_MAX_AGE = Duration.ofHours(8);

    public SessionLifetimeProperties {
        sessionMaxAge = sessionMaxAge == null ? DEFAULT_SESSION_MAX_AGE : sessionMaxAge;
        if (sessionMaxAge.isNegative() || sessionMaxAge.isZero()) {
            throw new IllegalArgumentException("gatehouse.oidc.session-max-age must be positive, not "
                    + sessionMaxAge);
        }
    }
}
