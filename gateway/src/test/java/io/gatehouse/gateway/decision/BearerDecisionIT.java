package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The whole path with a real bearer token: authenticated, decided on groups, asserted to the upstream. */
class BearerDecisionIT extends GatewayITSupport {

    private TestIssuer issuer;
    private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> decisionLog =
            new ch.qos.logback.core.read.ListAppender<>();

    @BeforeAll
    void captureDecisionLog() {
        decisionLog.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("gatehouse.decision")).addAppender(decisionLog);
    }

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: finance-staff
                          groups: [finance]
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("gatehouse.decision")).detachAppender(decisionLog);
        synchronized (decisionLog) {
            io.gatehouse.testsupport.DecisionLogSchema.assertAllValid(decisionLog.list.stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList());
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void decideWhenTokenCarriesAllowedGroupThenForwardedWithAssertionNamingTheUser() throws Exception {
        GatewayClient.Response response = client().get("/payslips/11",
                Map.of("Authorization", "Bearer " + issuer.es256(c -> { })));

        assertThat(response.status()).isEqualTo(200);
        JWKSet jwks = JWKSet.parse(client().get("/.well-known/gatehouse/jwks.json").body());
        GatehouseIdentity who = GatehouseVerifier.builder(RunningGateway.ISSUER, "payroll").jwks(jwks).build()
                .verify(upstream.last().header("X-Gatehouse-Assertion"), "GET", "localhost", "/payslips/11");
        assertThat(who.subject()).isEqualTo("u-17");
        assertThat(who.email()).isEqualTo("pat@corp.example");
        assertThat(who.groups()).containsExactly("finance", "staff");
    }

    @Test
    void forwardWhenBearerTokenConsumedThenUpstreamNeverSeesIt() {
        // The upstream trusts the assertion; the caller's token would let a backend replay it elsewhere.
        GatewayClient.Response response = client().get("/payslips/12",
                Map.of("Authorization", "Bearer " + issuer.es256(c -> { })));

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().headers()).doesNotContainKey("authorization");
        assertThat(upstream.last().header("X-Gatehouse-Assertion")).isNotBlank();
    }

    @Test
    void decideWhenIdentifiedCallerLacksGroupThen403NotChallenge() {
        GatewayClient.Response response = client().get("/payslips/11", Map.of(
                "Authorization", "Bearer " + issuer.rs256(c -> c.claim("groups", List.of("sales")))));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("WWW-Authenticate")).isNull();
        assertThat(response.json().path("reasons").toString()).contains("finance");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void recordWhenBearerCallerThenLogNamesSubjectEmailGroupsAndAuthButNotTheToken() throws Exception {
        String token = issuer.es256(c -> { });
        GatewayClient.Response response = client().get("/payslips/12", Map.of("Authorization", "Bearer " + token));
        String id = response.header("X-Request-Id");

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> decisionLog.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains(id)));
        String line = decisionLog.list.stream().map(e -> e.getFormattedMessage()).filter(m -> m.contains(id)).findFirst().orElseThrow();
        var who = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).path("who");
        assertThat(who.path("auth").asText()).isEqualTo("bearer");
        assertThat(who.path("subject").asText()).isEqualTo("u-17");
        assertThat(who.path("email").asText()).isEqualTo("pat@corp.example");
        assertThat(who.path("groups").toString()).contains("finance");
        assertThat(line).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }
}
