package io.gatehouse.deviceinventory.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A small token issuer for tests: an RSA key whose public half is served as a JWKS from a JDK HTTP server on
 * loopback, and real signed JWTs with a {@code scope} claim. The service validates them with its real
 * resource-server configuration ({@code jwk-set-uri} plus {@code issuer-uri} for the {@code iss} check).
 */
public final class TestIssuer {

    private static TestIssuer instance;

    private final RSAKey key;
    private final HttpServer server;
    private final String issuer;

    private TestIssuer() throws JOSEException, IOException {
        key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    public static synchronized TestIssuer get() {
        if (instance == null) {
            try {
                instance = new TestIssuer();
            } catch (JOSEException | IOException e) {
                throw new IllegalStateException("cannot start the test issuer", e);
            }
        }
        return instance;
    }

    public static void register(DynamicPropertyRegistry registry) {
        TestIssuer t = get();
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", t::jwksUri);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", () -> t.issuer);
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** The audience the service accepts by default ({@code inventory.auth.audience}); every token names it. */
    public static final String AUDIENCE = "device-inventory";

    /** A token for {@code subject} with these space-separated scopes, valid for five minutes. */
    public String token(String subject, String scopes) {
        return sign(key, issuer, subject, scopes, Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** A token as {@link #token} with these claims added or replaced ({@code null} removes one, e.g. "aud"). */
    public String tokenWith(String subject, String scopes, java.util.Map<String, Object> claims) {
        return sign(key, issuer, subject, scopes, Instant.now().plus(Duration.ofMinutes(5)), claims);
    }

    /** A {@code devices:report} token of the agent on device {@code deviceId} (claim {@code device_id}). */
    public String reporterFor(String deviceId) {
        return tokenWith("agent-" + deviceId, "devices:report", java.util.Map.of("device_id", deviceId));
    }

    public String expiredToken(String subject, String scopes) {
        return sign(key, issuer, subject, scopes, Instant.now().minus(Duration.ofMinutes(5)));
    }

    public String tokenFromIssuer(String otherIssuer, String subject, String scopes) {
        return sign(key, otherIssuer, subject, scopes, Instant.now().plus(Duration.ofMinutes(5)));
    }

    /** Same claims, signed by a key the JWKS does not hold. */
    public String tokenWithForeignKey(String subject, String scopes) {
        try {
            return sign(new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate(), issuer, subject, scopes,
                    Instant.now().plus(Duration.ofMinutes(5)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(RSAKey with, String iss, String subject, String scopes, Instant expires) {
        return sign(with, iss, subject, scopes, expires, java.util.Map.of());
    }

    private static String sign(RSAKey with, String iss, String subject, String scopes, Instant expires,
                               java.util.Map<String, Object> extra) {
        try {
            JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(iss).subject(subject)
                    .issueTime(Date.from(expires.minus(Duration.ofMinutes(10)))).expirationTime(Date.from(expires))
                    .jwtID(UUID.randomUUID().toString()).claim("scope", scopes).claim("azp", "gatehouse-test")
                    .audience(AUDIENCE);
            extra.forEach(builder::claim);
            JWTClaimsSet claims = builder.build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(),
                    claims);
            jwt.sign(new RSASSASigner(with));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
