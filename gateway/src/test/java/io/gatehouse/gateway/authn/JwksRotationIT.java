package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 4: a key the IdP removed from its JWKS stops being trusted within the refresh interval (here 2 s),
 * both for new tokens signed with it and for a token the gateway had already verified and cached; the key that
 * replaced it is accepted.
 */
class JwksRotationIT extends GatewayITSupport {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
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
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.bearer.jwks-refresh-interval", INTERVAL.toString());
    }

    @AfterAll
    void stopIssuer() {
        idp.close();
    }

    private int status(String token) {
        GatewayClient.Response response = client().get("/pay", Map.of("Authorization", "Bearer " + token));
        return response.status();
    }

    @Test
    void requestWhenKeyRotatedOutThenRefusedWithinTheIntervalAndNewKeyAccepted() {
        String verifiedBefore = idp.rs256(c -> { });
        assertThat(status(verifiedBefore)).isEqualTo(200);

        RSAKey removed = idp.rotateRsaKey();

        await().atMost(INTERVAL.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(status(idp.sign(JWSAlgorithm.RS256, removed, h -> { }, c -> { })))
                    .as("a new token signed with the removed key").isEqualTo(401);
            assertThat(status(verifiedBefore)).as("a token verified with the removed key before").isEqualTo(401);
        });
        assertThat(status(idp.rs256(c -> { }))).as("a token signed with the new key").isEqualTo(200);
    }
}
