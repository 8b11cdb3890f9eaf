package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Bearer tokens through the running gateway, from an issuer that really signs, to the echo upstream. */
class BearerIT extends GatewayITSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
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

    private GatewayClient.Response get(String authorization) {
        return client().get("/pay", Map.of("Authorization", authorization, "Accept", "application/json"));
    }

    @Test
    void requestWhenValidBearerThenUpstreamGetsAssertionForThatUser() throws Exception {
        GatewayClient.Response response = get("Bearer " + idp.es256(c -> { }));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode assertion = payload(upstream.last().header("X-Gatehouse-Assertion"));
        assertThat(assertion.path("sub").asText()).isEqualTo("u-17");
        assertThat(assertion.path("email").asText()).isEqualTo("pat@corp.example");
    }

    @Test
    void requestWhenExpiredBearerThen401InvalidTokenAndUpstreamSawNothing() {
        GatewayClient.Response response = get("Bearer " + idp.rs256(c -> c.issueTime(Date.from(
                Instant.now().minusSeconds(600))).expirationTime(Date.from(Instant.now().minusSeconds(120)))));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate"))
                .startsWith("Bearer error=\"invalid_token\", error_description=\"token expired at ");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body()).contains("bearer-invalid-token");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenBearerHasWrongAudienceThen401() {
        GatewayClient.Response response = get("Bearer " + idp.rs256(c -> c.audience("someone-else")));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("names none of [gatehouse]");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenGatehouseAssertionReplayedAsBearerThen401() {
        assertThat(get("Bearer " + idp.es256(c -> { })).status()).isEqualTo(200);
        String assertion = upstream.last().header("X-Gatehouse-Assertion");
        upstream.clear();

        GatewayClient.Response response = get("Bearer " + assertion);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("assertion is not a bearer credential");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenUserNotInGroupThen403() {
        GatewayClient.Response response = get("Bearer " + idp.es256(c -> c.claim("groups", java.util.List.of("sales"))));

        assertThat(response.status()).isEqualTo(403);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenNoCredentialThen401FromTheDecision() {
        GatewayClient.Response response = client().get("/pay", Map.of("Accept", "application/json"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(upstream.received()).isEmpty();
    }

    private static JsonNode payload(String jwt) throws Exception {
        assertThat(jwt).isNotNull();
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
