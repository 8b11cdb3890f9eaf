package io.gatehouse.gateway.settings;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The top-level {@code gatehouse.*} keys that several stages read (issue 17: typed records, no {@code @Value}).
 * {@code issuer}: the {@code iss} of every assertion the gateway signs, never accepted as a bearer issuer (required
 * to sign; no default). {@code device-ca}: the PEM file of the CA whose client certificates the public listener
 * asks for (unset: no client certificates). Blank counts as unset.
 */
@ConfigurationProperties("gatehouse")
public record GatehouseProperties(@Nullable String issuer, @Nullable String deviceCa) {

    public GatehouseProperties {
        issuer = issuer == null || issuer.isBlank() ? null : issuer;
        deviceCa = deviceCa == null || deviceCa.isBlank() ? null : deviceCa;
    }
}
