package io.gatehouse.hello;

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
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testsupport.JwksServer;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the gateway: publishes its key on the shared {@link JwksServer} (127.0.0.1, the gateway's JWKS path)
 * and signs assertions the way the gateway does.
 */
final class GatewayDouble implements AutoCloseable {
    static final String JWKS_PATH = "/.well-known/gatehouse/jwks.json";

    private final ECKey key;
    private final JwksServer server;

    GatewayDouble() throws IOException, JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID("dev-1").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        server = JwksServer.start(JWKS_PATH).publish(new JWKSet(key));
    }

    String issuer() {
        return server.issuer();
    }

    String assertion(String audience, String method, String host, String path, Instant iat) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer()).audience(audience).subject("u-17")
                    .claim("email", "pat@corp.example").claim("groups", List.of("finance", "<script>"))
                    .issueTime(Date.from(iat)).expirationTime(Date.from(iat.plusSeconds(120))).jwtID("j-1")
                    .claim("http", Map.of("method", method, "host", host, "path", path))
                    .claim("device", Map.of("id", "dev-42", "trust", "high"))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
