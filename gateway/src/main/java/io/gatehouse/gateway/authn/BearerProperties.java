package io.gatehouse.gateway.authn;

import io.gatehouse.gateway.claims.ClaimsMapper;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code gatehouse.bearer.*}: the issuers whose JWTs the gateway accepts as {@code Authorization: Bearer}.
 * Each issuer has its URI (discovery at {@code {issuer-uri}/.well-known/openid-configuration} finds the JWKS), the
 * audiences it must name in {@code aud} (at least one), the claim holding the groups (default {@code groups}),
 * the accepted signature algorithms (default RS256, ES256), the accepted token types (default Bearer, at+jwt,
 * untyped; an ID token is never accepted) and whether an absent {@code email_verified} claim means "not verified"
 * (default true). {@code jwks-refresh-interval} (default 5 min) is how long an issuer's keys (and a verified token)
 * are cached and how often at most a token with an unknown {@code kid} may make the gateway fetch them again;
 * {@code jwks-outage-tolerance} (default 15 min, 0: off) is how long the last keys fetched keep verifying while
 * the IdP cannot be reached. No issuers: no bearer token is accepted.
 */
@ConfigurationProperties("gatehouse.bearer")
public record BearerProperties(List<Issuer> issuers, @Nullable Duration clockSkew, @Nullable Integer cacheSize,
                               @Nullable Duration jwksRefreshInterval, @Nullable Duration jwksOutageTolerance) {

    public static final Duration DEFAULT_SKEW = Duration.ofSeconds(30);
    public static final int DEFAULT_CACHE_SIZE = 10_000;
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_JWKS_OUTAGE_TOLERANCE = Duration.ofMinutes(15);
    /** Below this, a JWKS refresh could not finish before the next one is due (Nimbus needs TTL > timeouts). */
    static final Duration MIN_JWKS_REFRESH_INTERVAL = Duration.ofSeconds(1);

    @ConstructorBinding
    public BearerProperties {
        issuers = issuers == null ? List.of() : List.copyOf(issuers);
        clockSkew = clockSkew == null ? DEFAULT_SKEW : clockSkew;
        cacheSize = cacheSize == null ? DEFAULT_CACHE_SIZE : cacheSize;
        jwksRefreshInterval = jwksRefreshInterval == null ? DEFAULT_JWKS_REFRESH_INTERVAL : jwksRefreshInterval;
        if (jwksRefreshInterval.compareTo(MIN_JWKS_REFRESH_INTERVAL) < 0) {
            throw new IllegalArgumentException("gatehouse.bearer.jwks-refresh-interval: " + jwksRefreshInterval
                    + " is shorter than the minimum " + MIN_JWKS_REFRESH_INTERVAL);
        }
        jwksOutageTolerance = jwksOutageTolerance == null ? DEFAULT_JWKS_OUTAGE_TOLERANCE : jwksOutageTolerance;
        if (jwksOutageTolerance.isNegative()) {
            throw new IllegalArgumentException("gatehouse.bearer.jwks-outage-tolerance: " + jwksOutageTolerance
                    + " is negative; 0 turns outage tolerance off");
        }
    }

    public BearerProperties(List<Issuer> issuers, @Nullable Duration clockSkew, @Nullable Integer cacheSize) {
        this(issuers, clockSkew, cacheSize, null, null);
    }

    /**
     * One accepted issuer ({@code gatehouse.bearer.issuers[i].*}). {@code token-types} lists the accepted values of
     * the payload {@code typ} claim (Keycloak: {@code Bearer}; RFC 9068 header {@code typ: at+jwt} counts as
     * {@code at+jwt}), compared ignoring ASCII case; {@value #UNTYPED} accepts a token with neither, as most IdPs
     * issue. {@code ID} (an OIDC ID token) cannot be listed. {@code email-verified-required: false} is for an IdP
     * that never sends {@code email_verified}: its absence then counts as verified; {@code false} never does.
     */
    public record Issuer(String issuerUri, List<String> audiences, @Nullable String groupsClaim,
                         @Nullable List<String> algorithms, @Nullable List<String> tokenTypes,
                         @Nullable Boolean emailVerifiedRequired) {

        /** The {@code token-types} entry that accepts a token without any type marker. */
        public static final String UNTYPED = "untyped";
        public static final List<String> DEFAULT_TOKEN_TYPES = List.of("Bearer", "at+jwt", UNTYPED);

        @ConstructorBinding
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
            tokenTypes = tokenTypes == null || tokenTypes.isEmpty() ? DEFAULT_TOKEN_TYPES : List.copyOf(tokenTypes);
            for (String type : tokenTypes) {
                if (type == null || type.isBlank() || type.equalsIgnoreCase("ID")) {
                    throw new IllegalArgumentException("gatehouse.bearer.issuers[].token-types (issuer " + issuerUri
                            + "): \"" + type + "\" is not allowed; an ID token is never a bearer credential;"
                            + " use e.g. Bearer, at+jwt, " + UNTYPED);
                }
            }
            emailVerifiedRequired = emailVerifiedRequired == null || emailVerifiedRequired;
        }

        public Issuer(String issuerUri, List<String> audiences, @Nullable String groupsClaim,
                      @Nullable List<String> algorithms) {
            this(issuerUri, audiences, groupsClaim, algorithms, null, null);
        }

        /** How this issuer's claims become an identity: its groups claim and its {@code email_verified} rule. */
        public ClaimsMapper.Rules claimsRules() {
            return new ClaimsMapper.Rules(groupsClaim, emailVerifiedRequired);
        }

        /** Whether {@code type} (a payload {@code typ}, or {@value #UNTYPED}) is accepted, ignoring ASCII case. */
        boolean accepts(String type) {
            String wanted = type.toLowerCase(Locale.ROOT);
            return tokenTypes.stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(wanted));
        }
    }
}
