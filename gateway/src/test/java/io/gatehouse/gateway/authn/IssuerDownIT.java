package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bearer token whose issuer cannot be reached to fetch its keys: the gateway cannot tell a good token from a
 * forged one, so it fails closed with a clear 503 (try again), neither a 401 that blames the caller nor a 500.
 */
class IssuerDownIT extends GatewayITSupport {

    private String token;

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
        TestIssuer idp = TestIssuer.start();
        token = idp.es256(c -> { });
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
        idp.close(); // the IdP is gone before the gateway ever asked it for keys
    }

    @Test
    void requestWhenIssuerUnreachableThen503WithRetryAndUpstreamSawNothing() {
        GatewayClient.Response response = client().get("/pay",
                Map.of("Authorization", "Bearer " + token, "Accept", "application/json"));

        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).contains("bearer-issuer-unavailable").doesNotContain(token);
        assertThat(upstream.received()).isEmpty();
    }
}
