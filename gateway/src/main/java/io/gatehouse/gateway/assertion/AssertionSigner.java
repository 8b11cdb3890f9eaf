package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Mints the ES256 assertion for one allowed request (DESIGN.md, "The assertion header"): {@code kid} in the
 * header, claims {@code iss}, {@code aud} (the route's audience, a single string), {@code sub}, {@code email},
 * {@code groups}, {@code iat}, {@code exp} (iat + ttl), {@code jti}, {@code http} {method, host, path} binding the
 * token to this request, and {@code device} {id, trust} when a device was presented. An anonymous request on a
 * {@code public} route gets {@code sub: "anonymous"} and no email or groups.
 *
 * <p>Throws {@link IllegalStateException} when no key may sign now (all retired or not yet valid): the caller
 * fails closed.
 */
public final class AssertionSigner {

    /** The {@code sub} of an assertion for an anonymous request on a public route. */
    public static final String ANONYMOUS_SUBJECT = "anonymous";

    private final SigningKeys keys;
    private final String issuer;
    private final Clock clock;
    private final @Nullable Provider provider;
    private final Map<String, ECDSASigner> signers = new ConcurrentHashMap<>();

    public AssertionSigner(SigningKeys keys, String issuer, Clock clock, @Nullable Provider provider) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.provider = provider;
    }

    /** The provider that signs: the name of ACCP or of the JDK's default. */
    public String providerName() {
        return provider == null ? "JDK default" : provider.getName();
    }

    public String issuer() {
        return issuer;
    }

    public Assertion sign(String audience, @Nullable Identity identity, @Nullable DevicePosture device,
                          String method, String host, String path) {
        Instant now = clock.instant();
        SigningKey key = keys.signingAt(now).orElseThrow(() -> new IllegalStateException(
                "no assertion signing key may sign at " + now + " (check gatehouse.signing.keys not-before/retire-after)"));
        String jti = newJti();
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("host", host);
        http.put("path", path);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(keys.ttl())))
                .jwtID(jti)
                .claim("http", http);
        if (identity != null) {
            claims.subject(identity.sub()).claim("groups", identity.groups());
            if (identity.email() != null) {
                claims.claim("email", identity.email());
            }
        } else {
            claims.subject(ANONYMOUS_SUBJECT);
        }
        if (device != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", device.id());
            d.put("trust", device.trust().wireName());
            claims.claim("device", d);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid())
                    .type(JOSEObjectType.JWT).build(), claims.build());
            jwt.sign(signer(key));
            return new Assertion(jwt.serialize(), jti, key.kid());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the assertion with key " + key.kid(), e);
        }
    }

    private ECDSASigner signer(SigningKey key) {
        return signers.computeIfAbsent(key.kid(), kid -> {
            try {
                ECDSASigner signer = new ECDSASigner(key.key());
                if (provider != null) {
                    signer.getJCAContext().setProvider(provider);
                }
                return signer;
            } catch (JOSEException e) {
                throw new IllegalStateException("signing key " + kid + " is not usable for ES256", e);
            }
        });
    }

    /** 128 random bits, URL-safe; unpredictable is not needed (it is signed), unique is. */
    private static String newJti() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
