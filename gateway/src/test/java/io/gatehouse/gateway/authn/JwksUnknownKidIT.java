package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 4: tokens with random {@code kid}s must not make the gateway hammer the IdP's JWKS endpoint. With
 * the default refresh interval (5 min), a burst of them costs the issuer at most one JWKS fetch, over HTTP/1.1 and
 * HTTP/2, and each is refused with a 401.
 */
class JwksUnknownKidIT extends GatewayITSupport {

    private static final int TOKENS = 30;
    private TestIssuer idp;

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: finance
                          groups: [finance]
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        idp.close();
    }

    @Test
    void requestsWhenManyRandomKidsThenAtMostOneJwksFetchAndAll401() {
        GatewayClient.Response warm = client().get("/pay", Map.of("Authorization", "Bearer " + idp.rs256(c -> { })));
        assertThat(warm.status()).as(warm.body()).isEqualTo(200);
        upstream.clear();
        int before = idp.jwksFetches();
        RSAKey forger = idp.unknownKey();

        for (int i = 0; i < TOKENS; i++) {
            String token = idp.sign(JWSAlgorithm.RS256, forger, h -> h.keyID("kid-" + UUID.randomUUID()), c -> { });
            GatewayClient client = i % 2 == 0 ? client() : client().http2();
            GatewayClient.Response response = client.get("/pay", Map.of("Authorization", "Bearer " + token));
            assertThat(response.status()).as(response.body()).isEqualTo(401);
        }

        assertThat(idp.jwksFetches() - before).as("JWKS fetches caused by %d random kids", TOKENS).isLessThanOrEqualTo(1);
        assertThat(upstream.received()).isEmpty();
    }
}
