package io.gatehouse.gateway.authn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Verifies tokens of one configured issuer: signature with a key from the issuer's JWKS only (found by OIDC
 * discovery, fetched reactively and cached by Spring Security's {@link NimbusReactiveJwtDecoder}; {@code jku},
 * {@code jwk} and {@code x5u} in a token are never followed), algorithm from the pinned list, then the claims:
 * {@code iss} equal, {@code exp} present and not past, {@code nbf} not future (both with the skew), {@code aud}
 * naming one of the issuer's audiences, {@code sub} present.
 */
final class IssuerVerifier {

    private final BearerProperties.Issuer issuer;
    private final ReactiveJwtDecoder decoder;

    IssuerVerifier(BearerProperties.Issuer issuer, Duration skew, Clock clock, WebClient webClient) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withIssuerLocation(issuer.issuerUri())
                .webClient(webClient)
                .validateType(false) // typ is checked by BearerAuthenticator against its own allow-list
                .jwsAlgorithms(set -> {
                    set.clear();
                    for (String name : issuer.algorithms()) {
                        SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
                        if (algorithm == null) {
                            throw new IllegalArgumentException("gatehouse.bearer.issuers[].algorithms: \"" + name
                                    + "\" (issuer " + issuer.issuerUri() + ") is not one of RS256..RS512, ES256..ES512,"
                                    + " PS256..PS512");
                        }
                        set.add(algorithm);
                    }
                })
                .build();
        nimbus.setJwtValidator(new ClaimsValidator(issuer, skew, clock));
        this.decoder = nimbus;
    }

    BearerProperties.Issuer issuer() {
        return issuer;
    }

    Mono<Jwt> verify(String token) {
        return decoder.decode(token);
    }

    /** The claim checks, with one precise description per failure. */
    private record ClaimsValidator(BearerProperties.Issuer issuer, Duration skew, Clock clock)
            implements OAuth2TokenValidator<Jwt> {

        @Override
        public OAuth2TokenValidatorResult validate(Jwt jwt) {
            List<OAuth2Error> errors = new ArrayList<>();
            Instant now = clock.instant();
            Object iss = jwt.getClaims().get("iss");
            if (iss == null || !issuer.issuerUri().equals(iss.toString())) {
                errors.add(error("iss " + iss + " is not " + issuer.issuerUri()));
            }
            Instant exp = jwt.getExpiresAt();
            if (exp == null) {
                errors.add(error("exp is missing"));
            } else if (now.minus(skew).isAfter(exp)) {
                errors.add(error("token expired at " + exp));
            }
            Instant nbf = jwt.getNotBefore();
            if (nbf != null && now.plus(skew).isBefore(nbf)) {
                errors.add(error("token not valid before " + nbf));
            }
            List<String> aud = jwt.getAudience();
            if (aud == null || aud.isEmpty()) {
                errors.add(error("aud is missing"));
            } else if (aud.stream().noneMatch(issuer.audiences()::contains)) {
                errors.add(error("aud " + aud + " names none of " + issuer.audiences()));
            }
            if (jwt.getSubject() == null || jwt.getSubject().isBlank()) {
                errors.add(error("sub is missing"));
            }
            return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
        }

        private static OAuth2Error error(String description) {
            return new OAuth2Error("invalid_token", description, null);
        }
    }
}
