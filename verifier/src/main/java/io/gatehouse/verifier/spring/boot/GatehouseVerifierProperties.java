package io.gatehouse.verifier.spring.boot;

import java.net.URI;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.verifier.*}: the gateway's {@code issuer} URL, this backend's {@code audience}
 * (the route's), the {@code jwks-uri} (default {@code issuer + /.well-known/gatehouse/jwks.json}),
 * the {@code public-host} the gateway serves this backend on (when unset, the request's own Host
 * is compared), and the {@code clock-skew} (default 30 s).
 */
@ConfigurationProperties("gatehouse.verifier")
public record GatehouseVerifierProperties(
        String issuer,
        String audience,
        @Nullable URI jwksUri,
        @Nullable String publicHost,
        @DefaultValue("30s") Duration clockSkew) {}
