package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.RejectionReason;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** End to end: what the upstream receives verifies with the verifier library against the gateway's own JWKS. */
class AssertionIT extends GatewayITSupport {

    private GatehouseVerifier verifier() throws Exception {
        GatewayClient.Response jwks = client().get("/.well-known/gatehouse/jwks.json");
        return GatehouseVerifier.builder(RunningGateway.ISSUER, "echo").jwks(JWKSet.parse(jwks.body())).build();
    }

    @Test
    void assertWhenClientSendsForgedAssertionThenUpstreamGetsValidSignedOne() throws Exception {
        client().get("/hello", Map.of("X-Gatehouse-Assertion", "forged"));

        var seen = upstream.last();
        assertThat(seen.headers().get("x-gatehouse-assertion")).hasSize(1).doesNotContain("forged");
        GatehouseIdentity who = verifier().verify(seen.header("X-Gatehouse-Assertion"), "GET", "localhost", "/hello");
        assertThat(who.subject()).isEqualTo("anonymous");
        assertThat(who.audience()).isEqualTo("echo");
        assertThat(who.claims()).containsKey("http");
    }

    @Test
    void assertWhenReplayedOnAnotherPathThenVerifierRejects() throws Exception {
        client().get("/reports/1");
        String captured = upstream.last().header("X-Gatehouse-Assertion");

        GatehouseVerifier verifier = verifier();
        assertThatThrownBy(() -> verifier.verify(captured, "GET", "localhost", "/admin"))
                .isInstanceOfSatisfying(AssertionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.PATH_MISMATCH));
    }

    @Test
    void jwksWhenAskedOnAnyHostThenServedByGatewayWithPublicKeysOnly() throws Exception {
        GatewayClient.Response response = client().get("/.well-known/gatehouse/jwks.json", Map.of("Host", "unrouted.example"));

        assertThat(response.status()).isEqualTo(200);
        JWKSet set = JWKSet.parse(response.body());
        assertThat(set.getKeys()).extracting(k -> k.getKeyID()).containsExactly("k1");
        assertThat(set.getKeys()).noneMatch(k -> k.isPrivate());
        assertThat(upstream.received()).isEmpty();
    }
}
