package io.gatehouse.deviceinventory.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.gatehouse.testsupport.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The inventory's API tokens, signed by the shared {@link TestIssuer} (one per test JVM, its JWKS on loopback): RS256
 * JWTs with a {@code scope} claim, {@code azp} and the inventory's audience, none of the IdP's user claims. The
 * service validates them with its real resource-server configuration ({@code jwk-set-uri} plus {@code issuer-uri}
 * for the {@code iss} check), which {@link #register} points at the issuer.
 */
public final class InventoryTokens {

    /** The audience the service accepts by default ({@code inventory.auth.audience}); every token names it. */
    public static final String AUDIENCE = "device-inventory";

    private static InventoryTokens instance;

    private final TestIssuer issuer;

    private InventoryTokens(TestIssuer issuer) {
        this.issuer = issuer;
    }

    public static synchronized InventoryTokens get() {
        if (instance == null) {
            TestIssuer started = TestIssuer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            instance = new InventoryTokens(started);
        }
        return instance;
    }

    public static void register(DynamicPropertyRegistry registry) {
        InventoryTokens t = get();
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", t::jwksUri);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", t.issuer::issuer);
    }

    public String jwksUri() {
        return issuer.jwksUri().toString();
    }

    /** A token for {@code subject} with these space-separated scopes, valid for five minutes. */
    public String token(String subject, String scopes) {
        return sign(issuer.rsaKey(), issuer.issuer(), subject, scopes, Instant.now().plus(Duration.ofMinutes(5)),
                Map.of());
    }

    /** A token as {@link #token} with these claims added or replaced ({@code null} removes one, e.g. "aud"). */
    public String tokenWith(String subject, String scopes, Map<String, Object> claims) {
        return sign(issuer.rsaKey(), issuer.issuer(), subject, scopes, Instant.now().plus(Duration.ofMinutes(5)),
                claims);
    }

    /** A {@code devices:report} token of the agent on device {@code deviceId} (claim {@code device_id}). */
    public String reporterFor(String deviceId) {
        return tokenWith("agent-" + deviceId, "devices:report", Map.of("device_id", deviceId));
    }

    public String expiredToken(String subject, String scopes) {
        return sign(issuer.rsaKey(), issuer.issuer(), subject, scopes, Instant.now().minus(Duration.ofMinutes(5)),
                Map.of());
    }

    public String tokenFromIssuer(String otherIssuer, String subject, String scopes) {
        return sign(issuer.rsaKey(), otherIssuer, subject, scopes, Instant.now().plus(Duration.ofMinutes(5)),
                Map.of());
    }

    /** Same claims, signed by a key the JWKS does not hold (with the kid of the one it does). */
    public String tokenWithForeignKey(String subject, String scopes) {
        try {
            RSAKey foreign = new RSAKeyGenerator(2048).keyID(issuer.rsaKey().getKeyID()).generate();
            return sign(foreign, issuer.issuer(), subject, scopes, Instant.now().plus(Duration.ofMinutes(5)),
                    Map.of());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(JWK with, String iss, String subject, String scopes, Instant expires,
                        Map<String, Object> extra) {
        return issuer.sign(JWSAlgorithm.RS256, with, header -> { }, claims -> {
            claims.issuer(iss).subject(subject)
                    .issueTime(Date.from(expires.minus(Duration.ofMinutes(10)))).expirationTime(Date.from(expires))
                    .jwtID(UUID.randomUUID().toString()).claim("scope", scopes).claim("azp", "gatehouse-test")
                    .audience(AUDIENCE)
                    // an API client's token, not a user's: none of the IdP's user claims
                    .claim("email", null).claim("email_verified", null).claim("groups", null).claim("auth_time", null);
            extra.forEach(claims::claim);
        });
    }
}
