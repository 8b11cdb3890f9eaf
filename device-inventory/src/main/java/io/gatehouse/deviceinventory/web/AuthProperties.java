package io.gatehouse.deviceinventory.web;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inventory.auth.*}: what a bearer token must carry besides a good signature, issuer and expiry, and how long
 * the service waits for the issuer's JWKS.
 * <ul>
 *   <li>{@code audience} (default {@code device-inventory}): the token's {@code aud} must contain it, so a token
 *       issued for another API is refused (401);</li>
 *   <li>{@code device-claim} (default {@code device_id}): the claim naming the one device a {@code devices:report}
 *       token may report for;</li>
 *   <li>{@code jwks-connect-timeout}, {@code jwks-read-timeout} (default 2 s each): fetching the issuer's keys (and
 *       its discovery document) gives up after these; the request then answers 401.</li>
 * </ul>
 */
@ConfigurationProperties("inventory.auth")
public record AuthProperties(
        @DefaultValue("device-inventory") String audience,
        @DefaultValue("device_id") String deviceClaim,
        @DefaultValue("2s") Duration jwksConnectTimeout,
        @DefaultValue("2s") Duration jwksReadTimeout) {

    public AuthProperties {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(deviceClaim, "deviceClaim");
        if (audience.isBlank()) {
            throw new IllegalArgumentException("inventory.auth.audience must not be blank");
        }
        if (deviceClaim.isBlank()) {
            throw new IllegalArgumentException("inventory.auth.device-claim must not be blank");
        }
        positive("jwks-connect-timeout", jwksConnectTimeout);
        positive("jwks-read-timeout", jwksReadTimeout);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("inventory.auth." + name + " must be positive, not " + value);
        }
    }
}
