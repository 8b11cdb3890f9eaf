package io.gatehouse.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An OIDC issuer that really signs, for tests: a {@link JwksServer} on 127.0.0.1 (random port) serving
 * {@code /.well-known/openid-configuration} and {@code /jwks} with one RSA and one P-256 key, and minting RS256 and
 * ES256 tokens with Nimbus. Its token endpoint redeems authorization codes, refresh tokens and client credentials;
 * {@link #sign} gives full control of header and claims (a resource server's tokens with other claims, forgeries). {@link #attackerKey(JWSAlgorithm)} gives keys that are not in the JWKS, for forgeries.
 * {@link #builder()} starts one elsewhere: another loopback address and a fixed port, over TLS, under an issuer URL
 * with a path and Keycloak's endpoint paths, signing the user in at {@code /authorize} at once (for a browser login
 * without a browser), with longer-lived tokens; {@link #stop()} and {@link #resume()} take it away and bring it back
 * on the same port. Close it after the test.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String AUDIENCE = "gatehouse";

    /** Where the endpoints are, relative to the issuer URL. */
    public record Endpoints(String jwks, String token, String authorize, String logout) {

        /** {@code /jwks}, {@code /token}, {@code /authorize}, {@code /logout}: the default. */
        public static final Endpoints PLAIN = new Endpoints("/jwks", "/token", "/authorize", "/logout");

        /** Keycloak's: {@code /protocol/openid-connect/certs}, {@code .../token}, {@code .../auth}, {@code .../logout}. */
        public static final Endpoints KEYCLOAK = new Endpoints("/protocol/openid-connect/certs",
                "/protocol/openid-connect/token", "/protocol/openid-connect/auth", "/protocol/openid-connect/logout");
    }

    /** How to start an issuer other than {@link #start()}'s; every setting has the default of {@link #start()}. */
    public static final class Builder {

        private StubServer.Binding binding = StubServer.Binding.loopback();
        private @Nullable String issuer;
        private Endpoints endpoints = Endpoints.PLAIN;
        private boolean signInAtAuthorize;
        private String clientAudience = AUDIENCE;
        private Duration tokenLifetime = Duration.ofMinutes(5);

        private Builder() {
        }

        /** Address, port (0: free; kept across {@link #stop()}/{@link #resume()}) and TLS. Default: 127.0.0.1, free port. */
        public Builder bind(StubServer.Binding where) {
            this.binding = where;
            return this;
        }

        /**
         * The issuer URL in discovery and tokens (default: the server's own {@code http://127.0.0.1:PORT}); its path
         * is where the endpoints are served. For a name the clients map to the bound address themselves.
         */
        public Builder issuer(String url) {
            this.issuer = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return this;
        }

        public Builder endpoints(Endpoints paths) {
            this.endpoints = paths;
            return this;
        }

        /** {@code /authorize} signs the user in at once: 302 to {@code redirect_uri} with a code and the state. */
        public Builder signInAtAuthorize() {
            this.signInAtAuthorize = true;
            return this;
        }

        /** The {@code aud} of client-credentials tokens (default {@value #AUDIENCE}). */
        public Builder clientCredentialsAudience(String audience) {
            this.clientAudience = audience;
            return this;
        }

        /** The lifetime of the tokens it signs (default 5 minutes); access lifetimes: {@link #accessLifetimes}. */
        public Builder tokenLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("tokenLifetime must be positive: " + lifetime);
            }
            this.tokenLifetime = lifetime;
            return this;
        }

        public TestIssuer start() {
            try {
                RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
                ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
                String path = issuer == null ? "" : URI.create(issuer).getRawPath();
                JwksServer server = JwksServer.start(path + endpoints.jwks(), binding);
                TestIssuer started = new TestIssuer(server, issuer == null ? server.issuer() : issuer, this, rsa, ec);
                server.route(path + "/.well-known/openid-configuration", started::discovery);
                server.route(path + endpoints.token(), started::token);
                if (signInAtAuthorize) {
                    server.route(path + endpoints.authorize(), started::signIn);
                }
                return started;
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final JwksServer server;
    private final String issuer;
    private final Endpoints endpoints;
    private final String clientAudience;
    private final Duration tokenLifetime;
    private volatile RSAKey rsa;
    private final ECKey ec;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    /** Authorization codes handed out by {@link #authorize(String)}, each with its nonce; single use. */
    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refreshGrants = new AtomicInteger();
    private volatile boolean rotateRefreshTokens;
    private volatile long loginAccessSeconds = 300;
    private volatile long refreshedAccessSeconds = 300;
    private volatile CountDownLatch refreshGate = new CountDownLatch(0);
    private volatile Consumer<JWTClaimsSet.Builder> idTokenClaims = claims -> { };

    private TestIssuer(JwksServer server, String issuer, Builder settings, RSAKey rsa, ECKey ec) {
        this.server = server;
        this.rsa = rsa;
        this.ec = ec;
        this.issuer = issuer;
        this.endpoints = settings.endpoints;
        this.clientAudience = settings.clientAudience;
        this.tokenLifetime = settings.tokenLifetime;
        publishKeys();
    }

    /** Starts an issuer on a random loopback port. */
    public static TestIssuer start() {
        return builder().start();
    }

    /** Settings for an issuer elsewhere or otherwise ({@link Builder#start()} starts it). */
    public static Builder builder() {
        return new Builder();
    }

    /** Stops serving: the port refuses connections (discovery, JWKS, token endpoint all gone) until {@link #resume()}. */
    public void stop() {
        server.stop();
    }

    /** Serves again on the same port, with the same keys, clients and outstanding codes. */
    public void resume() {
        server.resume();
    }

    public String issuer() {
        return issuer;
    }

    /** {@code {issuer}/jwks} (or where {@link Endpoints} put it). */
    public URI jwksUri() {
        return URI.create(issuer + endpoints.jwks());
    }

    /** The port it listens on (the same after {@link #stop()} and {@link #resume()}). */
    public int port() {
        return server.port();
    }

    public int jwksFetches() {
        return server.requests();
    }

    /**
     * What the IdP does when the user signs in for the authorization request that carried {@code nonce}: returns the
     * code the browser brings to the callback. The token endpoint redeems it once (any PKCE verifier) for an ID token
     * (sub {@code u-17}, aud the client, this nonce), an access token and a refresh token.
     */
    public String authorize(String nonce) {
        String code = UUID.randomUUID().toString();
        codes.put(code, nonce);
        return code;
    }

    /** Edits to the claims of the ID tokens the token endpoint issues from now on (null: leave a claim out). */
    public TestIssuer idTokenClaims(Consumer<JWTClaimsSet.Builder> claims) {
        this.idTokenClaims = claims;
        return this;
    }

    /** How many refresh-token grants the token endpoint received (refused ones included). */
    public int refreshGrants() {
        return refreshGrants.get();
    }

    /** The access tokens' {@code expires_in}: at sign-in and after a refresh. */
    public TestIssuer accessLifetimes(long atLoginSeconds, long afterRefreshSeconds) {
        this.loginAccessSeconds = atLoginSeconds;
        this.refreshedAccessSeconds = afterRefreshSeconds;
        return this;
    }

    /** Refresh-token rotation: each refresh token works once; using it again is refused with invalid_grant. */
    public TestIssuer rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
        return this;
    }

    /** Holds every refresh grant's answer until the returned handle is closed (at most 10 s), like a slow IdP. */
    public AutoCloseable holdRefreshes() {
        CountDownLatch gate = new CountDownLatch(1);
        refreshGate = gate;
        return gate::countDown;
    }

    /**
     * A valid RS256 token: sub, email (verified, as Keycloak says), groups, aud {@value #AUDIENCE}, exp in 5 minutes
     * (or {@link Builder#tokenLifetime});
     * then {@code claims} (set a claim to null to leave it out).
     */
    public String rs256(Consumer<JWTClaimsSet.Builder> claims) {
        return sign(JWSAlgorithm.RS256, rsa, header -> { }, claims);
    }

    public String es256(Consumer<JWTClaimsSet.Builder> claims) {
        return sign(JWSAlgorithm.ES256, ec, header -> { }, claims);
    }

    /** Full control: algorithm, signing key (maybe not in the JWKS), header and claim edits. */
    public String sign(JWSAlgorithm alg, JWK key, Consumer<JWSHeader.Builder> header,
                       Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder body = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("u-17")
                .audience(AUDIENCE)
                .claim("email", "pat@corp.example")
                .claim("email_verified", true)
                .claim("groups", List.of("finance", "staff"))
                .claim("auth_time", now.minusSeconds(60).getEpochSecond())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(tokenLifetime)))
                .jwtID(UUID.randomUUID().toString());
        claims.accept(body);
        JWSHeader.Builder head = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT);
        header.accept(head);
        SignedJWT jwt = new SignedJWT(head.build(), body.build());
        try {
            JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A valid RS256 token whose {@code scope} claim holds {@code scopes}, space-separated (OAuth2 style). */
    public String withScopes(String... scopes) {
        return rs256(claims -> claims.claim("scope", String.join(" ", scopes)));
    }

    /** Registers a confidential client for {@code POST /token} (client credentials, {@code client_secret_basic}). */
    public TestIssuer client(String clientId, String clientSecret) {
        clients.put(clientId, clientSecret);
        return this;
    }

    /** {@code {issuer}/token} (or where {@link Endpoints} put it): the token endpoint. */
    public String tokenUri() {
        return issuer + endpoints.token();
    }

    /**
     * The access token the client-credentials grant gives {@code client} for {@code scope}, signed directly (no HTTP):
     * sub and azp the client, aud {@link Builder#clientCredentialsAudience}, no user claims.
     */
    public String clientToken(String client, String scope) {
        return rs256(claims -> claims.subject(client).audience(clientAudience).claim("azp", client)
                .claim("scope", scope).claim("email", null).claim("email_verified", null).claim("groups", null));
    }

    public RSAKey rsaKey() {
        return rsa;
    }

    public ECKey ecKey() {
        return ec;
    }

    /**
     * Key rotation at the IdP: the JWKS now publishes a fresh RSA key (new kid) instead of the current one, which
     * {@link #rs256} signs with from now on. Returns the removed key, so a test can still sign with it.
     */
    public RSAKey rotateRsaKey() {
        RSAKey removed = rsa;
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        publishKeys();
        return removed;
    }

    /** A fresh RS256 key with a random kid that is not in the JWKS (a forger's or a not-yet-published key). */
    public RSAKey unknownKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("unknown-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh key with the kid of this issuer's key of that type, but not in the JWKS. */
    public JWK attackerKey(JWSAlgorithm alg) {
        try {
            return alg.getName().startsWith("ES")
                    ? new ECKeyGenerator(Curve.P_256).keyID(ec.getKeyID()).generate()
                    : new RSAKeyGenerator(2048).keyID(rsa.getKeyID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        StubServer.respond(exchange, 200, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri() + "\","
                // Browser-login endpoints, named for the gateway's redirects; nothing is served there unless the
                // issuer signs in at once (Builder#signInAtAuthorize).
                + "\"authorization_endpoint\":\"" + issuer + endpoints.authorize() + "\","
                + "\"token_endpoint\":\"" + tokenUri() + "\","
                + "\"end_session_endpoint\":\"" + issuer + endpoints.logout() + "\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"],"
                + "\"code_challenge_methods_supported\":[\"S256\"],"
                + "\"subject_types_supported\":[\"public\"],\"response_types_supported\":[\"code\"]}");
    }

    /** The user signs in at once: 302 to {@code redirect_uri} with {@code code} (from {@link #authorize}) and the state. */
    private void signIn(HttpExchange exchange) throws IOException {
        Map<String, String> query = StubServer.form(exchange.getRequestURI().getRawQuery());
        String redirect = query.get("redirect_uri");
        if (redirect == null) {
            StubServer.respond(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = authorize(query.getOrDefault("nonce", ""));
        String back = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code + "&state="
                + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Location", back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void publishKeys() {
        server.publish(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));
    }

    /**
     * Authorization code ({@link #authorize(String)}), refresh token (counted; rotating when asked) and client
     * credentials. Client credentials: HTTP Basic with a registered client, {@code grant_type=client_credentials}; the
     * token's {@code sub} and {@code azp} are the client id, its {@code scope} the requested one. Else 401 or 400.
     */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> params = StubServer.form(exchange);
        String client = basicClient(exchange.getRequestHeaders().getFirst("Authorization"));
        if (client == null) {
            StubServer.respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        if ("authorization_code".equals(params.get("grant_type"))) {
            String nonce = codes.remove(params.getOrDefault("code", ""));
            if (nonce == null) {
                StubServer.respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            String refresh = UUID.randomUUID().toString();
            refreshTokens.add(refresh);
            StubServer.respond(exchange, 200, tokenResponse(client, nonce, refresh, loginAccessSeconds));
            return;
        }
        if ("refresh_token".equals(params.get("grant_type"))) {
            refreshGrants.incrementAndGet();
            awaitGate();
            String used = params.getOrDefault("refresh_token", "");
            boolean known = rotateRefreshTokens ? refreshTokens.remove(used) : refreshTokens.contains(used);
            if (!known) {
                StubServer.respond(exchange, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            String refresh = used;
            if (rotateRefreshTokens) {
                refresh = UUID.randomUUID().toString();
                refreshTokens.add(refresh);
            }
            StubServer.respond(exchange, 200, tokenResponse(client, null, refresh, refreshedAccessSeconds));
            return;
        }
        if (!"client_credentials".equals(params.get("grant_type"))) {
            StubServer.respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String scope = params.getOrDefault("scope", "");
        StubServer.respond(exchange, 200, "{\"access_token\":\"" + clientToken(client, scope) + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":" + tokenLifetime.toSeconds() + ",\"scope\":\"" + scope + "\"}");
    }

    private String tokenResponse(String client, @Nullable String nonce, String refresh, long expiresIn) {
        Consumer<JWTClaimsSet.Builder> edits = idTokenClaims;
        String idToken = rs256(claims -> {
            edits.accept(claims);
            claims.audience(client).claim("nonce", nonce);
        });
        String access = rs256(claims -> { });
        return "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + ",\"id_token\":\"" + idToken + "\",\"refresh_token\":\"" + refresh + "\"}";
    }

    private void awaitGate() {
        try {
            if (!refreshGate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("refreshes held for more than 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The client id when the Basic credentials name a registered client with its secret, else null. */
    private @Nullable String basicClient(@Nullable String authorization) {
        StubServer.Credentials credentials = StubServer.basicCredentials(authorization);
        return credentials != null && credentials.secret().equals(clients.get(credentials.id())) ? credentials.id() : null;
    }

    @Override
    public void close() {
        refreshGate.countDown();
        server.close();
    }
}
