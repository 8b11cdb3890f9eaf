package io.gatehouse.gateway.authn;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.bearer.*}: the issuers whose JWTs the gateway accepts as {@code Authorization: Bearer}.
 * Each issuer has its URI (discovery at {@code {issuer-uri}/.well-known/openid-configuration} finds the JWKS), the
 * audiences it must name in {@code aud} (at least one), the claim holding the groups (default {@code groups}) and
 * the accepted signature algorithms (default RS256, ES256). No issuers: no bearer token is accepted.
 */
@ConfigurationProperties("gatehouse.bearer")
public record BearerProperties(List<Issuer> issuers, @Nullable Duration clockSkew, @Nullable Integer cacheSize) {

    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_SIZE = 10_000;

    public BearerProperties {
        issuers = issuers == null ? List.of() : List.copyOf(issuers);
        clockSkew = clockSkew == null ? DEFAULT_SKEW : clockSkew;
        cacheSize = cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize;
    }

    /** One accepted issuer ({@code gatehouse.bearer.issuers[i].*}). */
    public record Issuer(String issuerUri, List<String> audiences, @Nullable String groupsClaim,
                         @Nullable List<String> algorithms) {

        public Issuer {
            if (issuerUri == null || issuerUri.isBlank()) {
                throw new IllegalArgumentException("gatehouse.bearer.issuers[].issuer-uri is required");
            }
            if (audiences == null || audiences.isEmpty()) {
                throw new IllegalArgumentException("gatehouse.bearer.issuers[] with issuer-uri " + issuerUri
                        + " needs at least one audience (audiences)");
            }
            audiences = List.copyOf(audiences);
            groupsClaim = groupsClaim == null || groupsClaim.isBlank() ? "groups" : groupsClaim;
            algorithms = algorithms == null || algorithms.isEmpty() ? List.of("RS256", "ES256")
                    : List.copyOf(algorithms);
        }
    }
}
