package io.gatehouse.gateway.authn;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.JOSEException;
import io.gatehouse.gateway.Failures;
import io.gatehouse.gateway.claims.ClaimsMapper;
import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Authenticates {@code Authorization: Bearer <JWT>} against the configured issuers (docs/design.md, "Identity").
 * Contract: empty = no bearer credential presented; error {@link BearerAuthenticationException} = a credential was
 * presented and is bad, with the reason; a value = the verified {@link Identity}. Steps:
 * <ol>
 *   <li>exactly one {@code Authorization} header with scheme {@code Bearer} (case-insensitive) and a token;</li>
 *   <li>cache: a token already verified and not expired returns its identity without verifying again;</li>
 *   <li>shape, before any key is touched: a signed compact JWS; no {@code jku}/{@code jwk}/{@code x5u}/{@code x5c}
 *       header; {@code typ} absent, {@code JWT} or {@code at+jwt}; not shaped like the gateway's own assertion
 *       ({@code http} claim, or {@code iss} = {@code gatehouse.issuer});</li>
 *   <li>the unverified {@code iss} picks the configured issuer (none: rejected);</li>
 *   <li>an access token, not an ID token: the payload {@code typ} (or header {@code typ: at+jwt}) is one of the
 *       issuer's {@code token-types}, never {@code ID}; a token with neither marker that carries {@code nonce},
 *       {@code at_hash} or {@code c_hash} is an ID token and rejected ({@link #tokenType});</li>
 *   <li>the issuer's verifier checks signature, algorithm and claims ({@link IssuerVerifier});</li>
 *   <li>the claims become an {@link Identity} by the {@link ClaimsMapper} browser sessions use too, with the
 *       issuer's rules: its groups claim, and whether an absent {@code email_verified} means not verified
 *       ({@code email-verified-required}).</li>
 * </ol>
 */
public final class BearerAuthenticator implements AutoCloseable {

    private static final Set<String> ID_TOKEN_CLAIMS = Set.of("nonce", "at_hash", "c_hash");
    private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt", "application/jwt", "application/at+jwt");

    private record Verified(Identity identity, Instant expiresAt) {
    }

    private final Map<String, IssuerVerifier> issuers;
    private final Map<String, ClaimsMapper> mappers;
    private final @Nullable String assertionIssuer;
    private final Clock clock;
    private final Cache<String, Verified> verified;
    private final Counter verifications;
    private final Counter cacheHits;
    private final Counter internalErrors;

    BearerAuthenticator(List<IssuerVerifier> issuers, @Nullable String assertionIssuer, Clock clock, int cacheSize,
                        MeterRegistry meters) {
        this(issuers, assertionIssuer, clock, cacheSize, BearerProperties.DEFAULT_JWKS_REFRESH_INTERVAL, meters);
    }

    /**
     * {@code keyTrust}: how long a verified token is answered from the cache at most (its {@code exp} may be
     * later), so that a token signed with a key the IdP removed stops working when the keys are next refreshed.
     */
    BearerAuthenticator(List<IssuerVerifier> issuers, @Nullable String assertionIssuer, Clock clock, int cacheSize,
                        Duration keyTrust, MeterRegistry meters) {
        Objects.requireNonNull(keyTrust, "keyTrust");
        this.issuers = issuers.stream().collect(Collectors.toUnmodifiableMap(i -> i.issuer().issuerUri(),
                Function.identity()));
        this.mappers = issuers.stream().collect(Collectors.toUnmodifiableMap(i -> i.issuer().issuerUri(),
                i -> new ClaimsMapper(i.issuer().claimsRules())));
        this.assertionIssuer = assertionIssuer == null || assertionIssuer.isBlank() ? null : assertionIssuer;
        if (this.assertionIssuer != null && this.issuers.containsKey(this.assertionIssuer)) {
            throw new IllegalArgumentException("gatehouse.bearer.issuers: " + this.assertionIssuer + " is the gateway's"
                    + " own assertion issuer (gatehouse.issuer); its assertions are never bearer credentials");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.verified = Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfter(Expiry.creating((String token, Verified v) -> {
                    Duration left = Duration.between(clock.instant(), v.expiresAt());
                    return left.isNegative() ? Duration.ZERO : left.compareTo(keyTrust) > 0 ? keyTrust : left;
                }))
                .build();
        this.verifications = Counter.builder("gatehouse_bearer_verifications")
                .description("bearer tokens whose signature and claims were verified (cache misses)").register(meters);
        this.internalErrors = Failures.internalErrors(meters, "authenticate");
        this.cacheHits = Counter.builder("gatehouse_bearer_cache_hits")
                .description("bearer tokens answered from the verified-token cache").register(meters);
    }

    /** Empty: no bearer credential; error: a bad one ({@link BearerAuthenticationException}); else who it names. */
    public Mono<Identity> authenticate(ServerWebExchange exchange) {
        return authenticateAuthorization(exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION));
    }

    /**
     * As {@link #authenticate(ServerWebExchange)}, from the request's {@code Authorization} values (the decision
     * service reads them from the request a proxy describes): empty for none or another scheme, an error for a bad
     * bearer credential.
     */
    public Mono<Identity> authenticateAuthorization(List<String> values) {
        if (values.isEmpty()) {
            return Mono.empty();
        }
        if (values.size() > 1) {
            return Mono.error(new BearerAuthenticationException("more than one Authorization header"));
        }
        String value = values.get(0).trim();
        if (!value.regionMatches(true, 0, "Bearer", 0, 6) || (value.length() > 6 && value.charAt(6) != ' ')) {
            return Mono.empty(); // another scheme (Basic, ...): not a credential this stage understands
        }
        String token = value.substring(6).trim();
        if (token.isEmpty()) {
            return Mono.error(new BearerAuthenticationException("the Bearer token is empty"));
        }
        return authenticate(token);
    }

    /** Verifies one token (see the class comment for the steps). */
    public Mono<Identity> authenticate(String token) {
        Verified hit = verified.getIfPresent(token);
        if (hit != null && clock.instant().isBefore(hit.expiresAt())) {
            cacheHits.increment();
            return Mono.just(hit.identity());
        }
        IssuerVerifier issuer;
        try {
            issuer = issuerOf(token);
        } catch (BearerAuthenticationException e) {
            return Mono.error(e);
        }
        verifications.increment();
        return issuer.verify(token)
                .onErrorMap(JwtException.class, e -> new BearerAuthenticationException(describe(e)))
                // The issuer's discovery or JWKS fetch failing (maybe wrapped by Spring): neither the caller's fault
                // nor a pass. Anything else is a bug and stays one (500, gatehouse_internal_errors_total).
                .onErrorMap(BearerAuthenticator::issuerFailure,
                        e -> new IssuerUnavailableException(issuer.issuer().issuerUri(), e))
                .doOnError(e -> !(e instanceof BearerAuthenticationException
                        || e instanceof IssuerUnavailableException), e -> internalErrors.increment())
                .map(jwt -> {
                    Identity identity = mappers.get(issuer.issuer().issuerUri()).identity(jwt.getClaims());
                    Instant exp = Objects.requireNonNull(jwt.getExpiresAt(), "exp");
                    verified.put(token, new Verified(identity, exp));
                    return identity;
                });
    }

    /** Failed I/O, a timeout, Nimbus failing to get the keys, or an unusable discovery document. */
    static boolean issuerFailure(Throwable e) {
        return !(e instanceof BearerAuthenticationException) && (Failures.io(e)
                || Failures.causedBy(e, JOSEException.class, IssuerVerifier.DiscoveryException.class));
    }

    private IssuerVerifier issuerOf(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new BearerAuthenticationException("the token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new BearerAuthenticationException("the token is not signed (alg " + jwt.getHeader().getAlgorithm()
                    + ")");
        }
        JWSHeader header = signed.getHeader();
        if (header.getJWKURL() != null || header.getJWK() != null || header.getX509CertURL() != null
                || header.getX509CertChain() != null) {
            throw new BearerAuthenticationException("the token names its own key (jku, jwk, x5u or x5c header);"
                    + " keys come only from the issuer's JWKS");
        }
        JOSEObjectType type = header.getType();
        if (type != null && !ACCEPTED_TYPES.contains(type.getType().toLowerCase(Locale.ROOT))) {
            throw new BearerAuthenticationException("typ " + type + " is not a bearer token type (JWT, at+jwt)");
        }
        Map<String, Object> claims;
        try {
            claims = signed.getJWTClaimsSet().getClaims();
        } catch (ParseException e) {
            throw new BearerAuthenticationException("the token's claims are not a JSON object");
        }
        Object iss = claims.get("iss");
        if (claims.containsKey("http") || (assertionIssuer != null && assertionIssuer.equals(iss))) {
            throw new BearerAuthenticationException("a Gatehouse assertion is not a bearer credential");
        }
        if (!(iss instanceof String issuerUri)) {
            throw new BearerAuthenticationException("iss is missing");
        }
        IssuerVerifier verifier = issuers.get(issuerUri);
        if (verifier == null) {
            throw new BearerAuthenticationException("iss " + issuerUri + " is not a configured bearer issuer");
        }
        if (!verifier.accepts(header.getAlgorithm())) {
            throw new BearerAuthenticationException("Unsupported algorithm of " + header.getAlgorithm() + "; issuer "
                    + issuerUri + " accepts " + verifier.issuer().algorithms());
        }
        tokenType(header, claims, verifier.issuer());
        return verifier;
    }

    /**
     * Refuses what is not an access token of a type the issuer accepts. An OIDC ID token proves a login to the
     * client that asked for it; accepted as a bearer credential, any client that ever saw one (or a user who
     * asks the IdP for one with a password grant) could call APIs with it. Keycloak marks it with payload
     * {@code typ: "ID"}; other IdPs only by {@code nonce}/{@code at_hash}/{@code c_hash}, claims an access token
     * without a type marker has no reason to carry.
     */
    private static void tokenType(JWSHeader header, Map<String, Object> claims, BearerProperties.Issuer issuer) {
        Object payloadType = claims.get("typ");
        String type;
        if (payloadType == null) {
            JOSEObjectType headerType = header.getType();
            boolean rfc9068 = headerType != null && Set.of("at+jwt", "application/at+jwt")
                    .contains(headerType.getType().toLowerCase(Locale.ROOT));
            type = rfc9068 ? "at+jwt" : null;
        } else if (payloadType instanceof String text) {
            type = text;
        } else {
            throw new BearerAuthenticationException("the typ claim is not a string");
        }
        if (type != null && type.equalsIgnoreCase("ID")) {
            throw new BearerAuthenticationException("an ID token is not an access token (typ ID)");
        }
        if (type == null) {
            List<String> idClaims = ID_TOKEN_CLAIMS.stream().filter(claims::containsKey).sorted().toList();
            if (!idClaims.isEmpty()) {
                throw new BearerAuthenticationException("an ID token is not an access token (it carries "
                        + String.join(", ", idClaims) + " and no access-token typ)");
            }
            if (!issuer.accepts(BearerProperties.Issuer.UNTYPED)) {
                throw new BearerAuthenticationException("the token has no typ; issuer " + issuer.issuerUri()
                        + " accepts only token types " + issuer.tokenTypes());
            }
        } else if (type.equalsIgnoreCase(BearerProperties.Issuer.UNTYPED) || !issuer.accepts(type)) {
            throw new BearerAuthenticationException("typ " + type + " is not an accepted token type "
                    + issuer.tokenTypes());
        }
    }

    /** Stops the issuers' key sources (their refresh-ahead threads). */
    @Override
    public void close() {
        issuers.values().forEach(IssuerVerifier::close);
    }

    /** The exception's description without Spring's boilerplate prefix; never the token. */
    private static String describe(JwtException e) {
        Throwable cause = e.getCause();
        String message = cause instanceof com.nimbusds.jose.proc.BadJOSEException && cause.getMessage() != null
                ? cause.getMessage()
                : e.getMessage() == null ? "invalid token" : e.getMessage();
        String prefix = "An error occurred while attempting to decode the Jwt: ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
