package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.RejectionReason;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** End to end: what the upstream receives verifies with the verifier library against the gateway's own JWKS. */
class AssertionIT extends GatewayITSupport {

    /** The default public route on localhost, and the same app on another port of that host. */
    @Override
    protected String config(java.net.URI upstreamUri) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow: [{name: anyone, public: true}]
                  - id: echo-8443
                    from: https://localhost:8443
                    to: %1$s
                    audience: echo
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(upstreamUri);
    }

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

    @ParameterizedTest
    @CsvSource({"localhost:443, http/1.1", "LocalHost:443, http/1.1", "localhost:443, h2", "LOCALHOST, h2"})
    void assertWhenHostNamesTheDefaultPortThenHttpHostIsCanonicalAndThePublicHostVerifierAccepts(String host,
                                                                                                 String protocol)
            throws Exception {
        GatewayClient client = protocol.equals("h2") ? client().http2() : client();

        GatewayClient.Response response = client.get("/canonical", Map.of("Host", host));

        assertThat(response.status()).isEqualTo(200);
        String assertion = upstream.last().header("X-Gatehouse-Assertion");
        Map<String, Object> http = SignedJWT.parse(assertion).getJWTClaimsSet().getJSONObjectClaim("http");
        assertThat(http).containsEntry("host", "localhost");
        JWKSet jwks = JWKSet.parse(client().get("/.well-known/gatehouse/jwks.json").body());
        GatehouseVerifier behindTheGateway = GatehouseVerifier.builder(RunningGateway.ISSUER, "echo").jwks(jwks)
                .publicHost("localhost").build();
        // The backend sees its own internal Host; with public-host set, that is not what is compared.
        assertThat(behindTheGateway.verify(assertion, "GET", "127.0.0.1:" + upstream.port(), "/canonical").subject())
                .isEqualTo("anonymous");
    }

    @Test
    void assertWhenHostNamesAnotherPortThenHttpHostKeepsIt() throws Exception {
        GatewayClient.Response response = client().get("/other-port", Map.of("Host", "localhost:8443"));

        assertThat(response.status()).isEqualTo(200);

        Map<String, Object> http = SignedJWT.parse(upstream.last().header("X-Gatehouse-Assertion"))
                .getJWTClaimsSet().getJSONObjectClaim("http");
        assertThat(http).containsEntry("host", "localhost:8443");
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
