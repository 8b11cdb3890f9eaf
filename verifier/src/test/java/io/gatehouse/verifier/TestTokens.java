package io.gatehouse.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Signs assertions the way the gateway does (ES256, kid, the claims of docs/design.md), and lets a test break them. */
public final class TestTokens {
    public static final String ISSUER = "https://gatehouse.corp.example";
    public static final String AUDIENCE = "payroll";
    public static final String HOST = "payroll.corp.example";
    public static final Instant NOW = Instant.parse("2026-11-23T19:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestTokens() {}

    public static ECKey newKey(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWKSet publicSet(ECKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet();
    }

    /** The claims the gateway would put in an assertion for {@code GET /salaries} issued at {@code iat}. */
    public static Map<String, Object> claims(Instant iat, String method, String path) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", "u-17");
        claims.put("email", "pat@corp.example");
        claims.put("groups", List.of("finance", "staff"));
        claims.put("iat", iat.getEpochSecond());
        claims.put("exp", iat.plusSeconds(120).getEpochSecond());
        claims.put("jti", "j-" + iat.getEpochSecond());
        claims.put("http", Map.of("method", method, "host", HOST, "path", path));
        claims.put("device", Map.of("id", "dev-42", "trust", "high"));
        return claims;
    }

    public static Map<String, Object> claims() {
        return claims(NOW, "GET", "/salaries");
    }

    public static Map<String, Object> claimsWith(UnaryOperator<Map<String, Object>> change) {
        return change.apply(claims());
    }

    public static String sign(ECKey key, Map<String, Object> claims) {
        return sign(key, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    }

    public static String sign(ECKey key, JWSHeader header, Map<String, Object> claims) {
        try {
            // JWSObject, not SignedJWT: the claims go out as given, even ones a JWT library would refuse to build
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(header, new com.nimbusds.jose.Payload(claims));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs arbitrary header and payload bytes (already base64url) with the key: for non-JSON payloads. */
    public static String signRaw(ECKey key, String headerJson, String payload) {
        try {
            String input = Base64URL.encode(headerJson) + "." + Base64URL.encode(payload);
            com.nimbusds.jose.JWSObject probe = new com.nimbusds.jose.JWSObject(
                    new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), new com.nimbusds.jose.Payload("x"));
            Base64URL sig = new ECDSASigner(key).sign(probe.getHeader(), input.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return input + "." + sig;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
