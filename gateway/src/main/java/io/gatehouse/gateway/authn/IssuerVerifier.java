package io.gatehouse.gateway.authn;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWKSecurityContext;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Verifies tokens of one configured issuer: signature with a key from the issuer's JWKS only ({@code jku},
 * {@code jwk} and {@code x5u} in a token are never followed), algorithm from the pinned list, then the claims:
 * {@code iss} equal, {@code exp} present and not past, {@code nbf} not future (both with the skew), {@code aud}
 * naming one of the issuer's audiences, {@code sub} present. Keys:
 * <ol>
 *   <li>OIDC discovery ({@code {issuer}/.well-known/openid-configuration}, reactive, on first use; its
 *       {@code issuer} must equal the configured one) finds {@code jwks_uri}; concurrent first tokens share one
 *       discovery, a failed one is retried on the next token, a successful one is kept;</li>
 *   <li>the JWKS comes from {@link IssuerKeys} (Nimbus {@code JWKSourceBuilder}: cached for the refresh interval,
 *       refreshed ahead of expiry, the last good keys kept through an outage, and a token with an unknown
 *       {@code kid} refetching at most once per interval), read on the bounded-elastic scheduler since Nimbus
 *       fetches with blocking I/O.</li>
 * </ol>
 * Close it to stop the key source's refresh thread.
 */
final class IssuerVerifier implements AutoCloseable {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    private final BearerProperties.Issuer issuer;
    private final ReactiveJwtDecoder decoder;
    private final WebClient webClient;
    private final Duration refreshInterval;
    private final Duration outageTolerance;
    private final MeterRegistry meters;
    private final AtomicReference<IssuerKeys> keys = new AtomicReference<>();
    /** One discovery at a time: concurrent first tokens share it; a success is kept, a failure is retried. */
    private final Mono<IssuerKeys> discovery = Mono.defer(this::discover).cacheInvalidateIf(found -> false);
    private final Set<JWSAlgorithm> algorithms;

    IssuerVerifier(BearerProperties.Issuer issuer, Duration skew, Clock clock, WebClient webClient) {
        this(issuer, skew, clock, webClient, BearerProperties.DEFAULT_JWKS_REFRESH_INTERVAL,
                BearerProperties.DEFAULT_JWKS_OUTAGE_TOLERANCE, new SimpleMeterRegistry());
    }

    IssuerVerifier(BearerProperties.Issuer issuer, Duration skew, Clock clock, WebClient webClient,
                   Duration refreshInterval, Duration outageTolerance, MeterRegistry meters) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.webClient = Objects.requireNonNull(webClient, "webClient");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        this.outageTolerance = Objects.requireNonNull(outageTolerance, "outageTolerance");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.algorithms = algorithms(issuer);
        NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withJwkSource(this::keysFor)
                .validateType(false) // typ is checked by BearerAuthenticator against its own allow-list
                .jwtProcessorCustomizer(processor -> processor.setJWSKeySelector(
                        new JWSVerificationKeySelector<JWKSecurityContext>(algorithms,
                                new com.nimbusds.jose.jwk.source.JWKSecurityContextJWKSet())))
                .build();
        nimbus.setJwtValidator(new ClaimsValidator(issuer, skew, clock));
        this.decoder = nimbus;
    }

    private static Set<JWSAlgorithm> algorithms(BearerProperties.Issuer issuer) {
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String name : issuer.algorithms()) {
            if (SignatureAlgorithm.from(name) == null) {
                throw new IllegalArgumentException("gatehouse.bearer.issuers[].algorithms: \"" + name
                        + "\" (issuer " + issuer.issuerUri() + ") is not one of RS256..RS512, ES256..ES512,"
                        + " PS256..PS512");
            }
            out.add(JWSAlgorithm.parse(name));
        }
        return Set.copyOf(out);
    }

    BearerProperties.Issuer issuer() {
        return issuer;
    }

    /** Whether the issuer's pinned algorithms include {@code alg}; checked before any key is looked up. */
    boolean accepts(JWSAlgorithm alg) {
        return algorithms.contains(alg);
    }

    Mono<Jwt> verify(String token) {
        return decoder.decode(token);
    }

    /** The issuer's keys that match the token's header ({@code kid}, key type of {@code alg}); empty if none. */
    private Flux<JWK> keysFor(SignedJWT jwt) {
        JWKMatcher matcher = JWKMatcher.forJWSHeader(jwt.getHeader());
        if (matcher == null) {
            return Flux.empty(); // an algorithm no JWK can verify; the processor refuses it
        }
        JWKSelector selector = new JWKSelector(matcher);
        return source()
                .flatMap(source -> Mono.fromCallable(() -> source.get(selector, null))
                        .subscribeOn(Schedulers.boundedElastic()))
                .flatMapMany(Flux::fromIterable);
    }

    private Mono<JWKSource<SecurityContext>> source() {
        IssuerKeys known = keys.get();
        return known != null ? Mono.just(known.source()) : discovery.map(IssuerKeys::source);
    }

    private Mono<IssuerKeys> discover() {
        String uri = issuer.issuerUri().replaceAll("/+$", "") + "/.well-known/openid-configuration";
        return webClient.get().uri(uri).retrieve().bodyToMono(JSON_OBJECT)
                .map(document -> {
                    Object claimed = document.get("issuer");
                    if (!issuer.issuerUri().equals(claimed)) {
                        throw new DiscoveryException("the discovery document of " + issuer.issuerUri()
                                + " names issuer " + claimed);
                    }
                    if (!(document.get("jwks_uri") instanceof String jwksUri)) {
                        throw new DiscoveryException("the discovery document of " + issuer.issuerUri()
                                + " has no jwks_uri");
                    }
                    IssuerKeys built = IssuerKeys.of(issuer.issuerUri(), jwksUri, refreshInterval, outageTolerance,
                            meters);
                    keys.set(built);
                    return built;
                });
    }

    /** The issuer's discovery document cannot be used (wrong issuer, no or a bad jwks_uri): the IdP failing. */
    static final class DiscoveryException extends RuntimeException {
        DiscoveryException(String message, @Nullable Throwable cause) {
            super(message, cause);
        }

        DiscoveryException(String message) {
            this(message, null);
        }
    }

    @Override
    public void close() {
        IssuerKeys known = keys.getAndSet(null);
        if (known != null) {
            known.close();
        }
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
