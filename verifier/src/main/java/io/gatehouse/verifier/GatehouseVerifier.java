package io.gatehouse.verifier;

import static io.gatehouse.verifier.AssertionRejectedException.quote;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verifies an {@code X-Gatehouse-Assertion} against the gateway's keys and the request it arrived
 * with (docs/design.md, "The assertion header"). Steps, each with its own {@link RejectionReason}:
 * <ol>
 *   <li>size: at most {@code maxTokenChars} (8 KiB by default), checked before any parsing;</li>
 *   <li>shape: three base64url parts, a JSON object header;</li>
 *   <li>header: {@code alg} must be ES256; {@code jwk}, {@code jku}, {@code x5u}, {@code x5c} and
 *       {@code crit} are refused; {@code kid} names a key in the gateway's JWKS;</li>
 *   <li>signature: ECDSA P-256 with SHA-256, r and s in range;</li>
 *   <li>claims: {@code iss}, {@code aud} (a single string), {@code exp}, {@code iat}, {@code nbf}
 *       with the clock skew, a bounded lifetime, {@code sub}, {@code jti};</li>
 *   <li>binding: {@code http.method}, {@code http.host}, {@code http.path} equal the request's (the host ignoring case
 *       and a default {@code :443}).</li>
 * </ol>
 * Returns a {@link GatehouseIdentity} or throws {@link AssertionRejectedException}; nothing else.
 * Thread-safe; build one per backend (per audience) and share it.
 */
public final class GatehouseVerifier {
    /** The header the gateway puts the assertion in. */
    public static final String HEADER = "X-Gatehouse-Assertion";
    /** Where the gateway publishes its keys, relative to its issuer URL. */
    public static final String JWKS_PATH = "/.well-known/gatehouse/jwks.json";

    private static final System.Logger LOG = System.getLogger(GatehouseVerifier.class.getName());

    // Header parameters that point at or carry a key: the key must come from our JWKS, never from the token.
    private static final List<String> KEY_REFERENCES = List.of("jwk", "jku", "x5u", "x5c");

    private final KeySource keys;
    private final Es256Signatures signatures;
    private final AssertionClaims claims;
    private final int maxTokenChars;

    private GatehouseVerifier(Builder b, KeySource keys, Es256Signatures signatures) {
        this.keys = keys;
        this.signatures = signatures;
        this.maxTokenChars = b.maxTokenChars;
        this.claims = new AssertionClaims(Objects.requireNonNull(b.issuer, "issuer"),
                Objects.requireNonNull(b.audience, "audience"), b.publicHost, b.clockSkew, b.maxLifetime, b.clock);
    }

    /** Starts a verifier for the gateway {@code issuer} and this backend's {@code audience}. */
    public static Builder builder(String issuer, String audience) {
        return new Builder(issuer, audience);
    }

    /**
     * Verifies {@code token} for the request it arrived with.
     *
     * @param token the header's value
     * @param method the request method, e.g. {@code GET}
     * @param host the request's Host (host and port as received); ignored when the verifier has a
     *     public host, because behind the gateway a backend sees its own internal Host
     * @param path the request path as received, percent-encoding untouched, without the query
     * @throws AssertionRejectedException when any check fails; its reason says which
     */
    public GatehouseIdentity verify(@Nullable String token, String method, String host, String path)
            throws AssertionRejectedException {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        try {
            return check(token, method, host, path);
        } catch (AssertionRejectedException e) {
            // DEBUG: under a flood of forged tokens an INFO line per request would drown the log.
            LOG.log(System.Logger.Level.DEBUG, "rejected {0} {1}: {2}", method, path, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            // Whatever a hostile token provokes, the answer is a rejection, never a 500 or a pass.
            LOG.log(System.Logger.Level.WARNING, "rejected " + method + " " + path + ": token could not be processed", e);
            throw new AssertionRejectedException(RejectionReason.MALFORMED,
                    "token could not be processed (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private GatehouseIdentity check(@Nullable String token, String method, String host, String path)
            throws AssertionRejectedException {
        if (token == null || token.isBlank()) {
            throw new AssertionRejectedException(RejectionReason.MISSING, "no " + HEADER + " header");
        }
        if (token.length() > maxTokenChars) {
            throw new AssertionRejectedException(RejectionReason.TOO_LARGE,
                    "token is " + token.length() + " characters, the limit is " + maxTokenChars);
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw new AssertionRejectedException(RejectionReason.MALFORMED, "not a compact JWS (three dot-separated parts)");
        }
        // Strict alphabet: base64url decoders skip characters they do not know, so "almost the same" tokens would parse.
        for (int i = 0; i < token.length(); i++) {
            if (!isBase64UrlOrDot(token.charAt(i))) {
                throw new AssertionRejectedException(RejectionReason.MALFORMED,
                        "character " + i + " is not base64url (A-Z a-z 0-9 - _) or a dot");
            }
        }
        Map<String, Object> header = json(token.substring(0, dot1), "header");
        String kid = checkHeader(header);
        PublicKey key = keys.key(kid);
        byte[] signingInput = token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = new Base64URL(token.substring(dot2 + 1)).decode();
        if (!signatures.verify(key, signingInput, signature)) {
            throw new AssertionRejectedException(RejectionReason.BAD_SIGNATURE,
                    "signature does not verify with key " + quote(kid));
        }
        // Only now, with the signature good, is the payload worth reading.
        return claims.check(json(token.substring(dot1 + 1, dot2), "payload"), method, host, path);
    }

    /** The JCA provider doing the ECDSA work, e.g. {@code AmazonCorrettoCryptoProvider} or {@code SunEC}. */
    public String signatureProvider() {
        return signatures.providerName();
    }

    private static String checkHeader(Map<String, Object> header) throws AssertionRejectedException {
        Object alg = header.get("alg");
        if (!(alg instanceof String)) {
            throw new AssertionRejectedException(RejectionReason.MALFORMED, "header has no alg");
        }
        if (!"ES256".equals(alg)) {
            throw new AssertionRejectedException(RejectionReason.ALGORITHM_NOT_ALLOWED,
                    "alg is " + quote(alg) + ", only \"ES256\" is accepted");
        }
        for (String name : KEY_REFERENCES) {
            if (header.containsKey(name)) {
                throw new AssertionRejectedException(RejectionReason.KEY_REFERENCE_NOT_ALLOWED,
                        "header names its own key (" + name + "); keys come only from the gateway's JWKS");
            }
        }
        if (header.containsKey("crit")) {
            throw new AssertionRejectedException(RejectionReason.CRITICAL_HEADER,
                    "header marks " + quote(header.get("crit")) + " critical; none is supported");
        }
        Object kid = header.get("kid");
        if (!(kid instanceof String) || ((String) kid).isEmpty()) {
            throw new AssertionRejectedException(RejectionReason.MALFORMED, "header has no kid");
        }
        return (String) kid;
    }

    private static boolean isBase64UrlOrDot(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    }

    private static Map<String, Object> json(String part, String what) throws AssertionRejectedException {
        try {
            return JSONObjectUtils.parse(new Base64URL(part).decodeToString());
        } catch (ParseException | RuntimeException e) {
            throw new AssertionRejectedException(RejectionReason.MALFORMED, what + " is not a base64url JSON object", e);
        }
    }

    /** Configures a {@link GatehouseVerifier}; issuer and audience are required, the rest has defaults. */
    public static final class Builder {
        private final String issuer;
        private final String audience;
        private @Nullable URI jwksUri;
        private @Nullable JWKSet staticKeys;
        private @Nullable String publicHost;
        private Duration clockSkew = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofMinutes(10);
        private Duration jwksRefreshAfter = Duration.ofMinutes(5);
        private Duration jwksMinRefreshInterval = Duration.ofSeconds(30);
        private Duration jwksTimeout = Duration.ofSeconds(5);
        private Duration jwksMaxStale = Duration.ofHours(24);
        private int maxTokenChars = 8 * 1024;
        private Clock clock = Clock.systemUTC();
        private @Nullable HttpClient httpClient;
        private @Nullable Es256Signatures signatures;

        private Builder(String issuer, String audience) {
            this.issuer = requireText(issuer, "issuer");
            this.audience = requireText(audience, "audience");
        }

        /** Where to fetch the gateway's keys; default {@code issuer + "/.well-known/gatehouse/jwks.json"}. */
        public Builder jwksUri(URI uri) {
            this.jwksUri = Objects.requireNonNull(uri, "uri");
            return this;
        }

        /** A fixed key set instead of fetching one (tests, or keys pinned in configuration). */
        public Builder jwks(JWKSet keys) {
            this.staticKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * The host the gateway serves this backend on (e.g. {@code payroll.corp.example}); {@code http.host} must
         * equal it, compared ignoring case and HTTPS's default port ({@code :443}).
         */
        public Builder publicHost(@Nullable String host) {
            this.publicHost = host == null || host.isBlank() ? null : AssertionClaims.canonicalHost(host);
            return this;
        }

        /** Tolerance for clocks that disagree, applied to {@code exp}, {@code iat}, {@code nbf}; default 30 s. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = nonNegative(skew, "skew");
            return this;
        }

        /** The longest {@code exp - iat} accepted; default 10 minutes (the gateway issues 2). */
        public Builder maxLifetime(Duration lifetime) {
            this.maxLifetime = nonNegative(lifetime, "lifetime");
            return this;
        }

        /** Age after which the cached key set is refreshed in the background; default 5 minutes. */
        public Builder jwksRefreshAfter(Duration age) {
            this.jwksRefreshAfter = nonNegative(age, "age");
            return this;
        }

        /** At most one key set fetch per this interval, whatever the tokens say; default 30 s. */
        public Builder jwksMinRefreshInterval(Duration interval) {
            this.jwksMinRefreshInterval = nonNegative(interval, "interval");
            return this;
        }

        /** A key set not refreshed successfully for this long is no longer trusted; default 24 h. */
        public Builder jwksMaxStale(Duration age) {
            this.jwksMaxStale = nonNegative(age, "age");
            return this;
        }

        /** Timeout of one key set fetch; default 5 s. */
        public Builder jwksTimeout(Duration timeout) {
            this.jwksTimeout = nonNegative(timeout, "timeout");
            return this;
        }

        /** The largest token accepted, in characters; default 8192. */
        public Builder maxTokenChars(int chars) {
            if (chars < 64) {
                throw new IllegalArgumentException("maxTokenChars must be at least 64, was " + chars);
            }
            this.maxTokenChars = chars;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Forces the JCA provider for ECDSA; by default Amazon Corretto Crypto Provider when it is on
         * the class path, else the JDK's. {@code null} means the JDK's default providers.
         */
        public Builder signatureProvider(java.security.@Nullable Provider provider) {
            this.signatures = new Es256Signatures(provider);
            return this;
        }

        public GatehouseVerifier build() {
            Es256Signatures sigs = signatures != null ? signatures : Es256Signatures.preferNative();
            KeySource source;
            if (staticKeys != null) {
                source = new StaticKeySource(KeySet.of(staticKeys, sigs));
            } else {
                URI uri = jwksUri != null ? jwksUri : URI.create(stripSlash(issuer) + JWKS_PATH);
                HttpClient client = httpClient != null ? httpClient
                        : HttpClient.newBuilder().connectTimeout(jwksTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
                source = new RemoteKeySource(uri, client, jwksTimeout, jwksRefreshAfter, jwksMinRefreshInterval,
                        jwksMaxStale, clock, sigs);
            }
            return new GatehouseVerifier(this, source, sigs);
        }

        private static String stripSlash(String s) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        private static String requireText(String value, String name) {
            if (Objects.requireNonNull(value, name).isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static Duration nonNegative(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
