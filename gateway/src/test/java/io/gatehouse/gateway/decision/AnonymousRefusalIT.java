package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An anonymous caller learns from a refusal that it must authenticate, and nothing about the policy: no group, email,
 * CIDR, CEL expression or rule name, whether it asks for JSON or HTML and over HTTP/1.1 or HTTP/2. A signed-in
 * caller still gets the reasons on 403, and the decision log keeps every reason for both.
 */
class AnonymousRefusalIT extends DecisionLogITSupport {

    /** Every piece of policy the routes below hold; none may reach an anonymous client. */
    private static final List<String> POLICY = List.of("payroll-admins", "boss@corp.example", "10.99.0.0",
            "secret-dept", "admins-by-group", "bosses-by-email", "from-the-vault", "by-department",
            "10.98.0.0", "office-only");

    private TestIssuer issuer;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        builder.config("""
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow:
                        - {name: admins-by-group, groups: [payroll-admins]}
                        - {name: bosses-by-email, emails: [boss@corp.example]}
                        - {name: from-the-vault, source_ips: [10.99.0.0/16]}
                        - {name: by-department, cel: 'identity.claims.department == "secret-dept"'}
                  - id: wiki
                    from: https://wiki.localhost
                    to: %1$s
                    policy:
                      allow: [{name: anyone, public: true}]
                      deny: [{name: office-only, paths: ["/admin/**"], not: {source_ips: [10.98.0.0/16]}}]
                """.formatted(upstream.uri()))
                .property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    private GatewayClient client(String protocol) {
        return protocol.equals("h2") ? client().http2() : client();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenAnonymousAsksForJsonThen401NamesNoPolicyButTheLogDoes(String protocol) {
        GatewayClient.Response response = client(protocol).get("/payslips/1", Map.of("Accept", "application/json"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.json().path("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.json().path("reasons").size()).isZero();
        assertThat(response.body() + response.header("WWW-Authenticate")).doesNotContain(POLICY);
        JsonNode line = onlyLineFor(response);
        assertThat(line.path("why").path("reasons").toString()).contains("payroll-admins", "boss@corp.example",
                "10.99.0.0/16", "secret-dept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenAnonymousBrowserAsksForHtmlThenNoPolicyInTheAnswer(String protocol) {
        GatewayClient.Response response = client(protocol).get("/payslips/2",
                Map.of("Accept", "text/html,application/xhtml+xml", "Sec-Fetch-Mode", "navigate"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).doesNotContain(POLICY).contains(response.header("X-Request-Id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/html"})
    void refuseWhenAnonymousHitsADenyRuleThen403NamesNoPolicy(String accept) {
        GatewayClient.Response response = client().get("/admin/x", Map.of("Host", "wiki.localhost", "Accept", accept));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).doesNotContain(POLICY).contains(response.header("X-Request-Id"));
        assertThat(onlyLineFor(response).path("why").path("reasons").toString()).contains("10.98.0.0/16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void refuseWhenSignedInWithoutTheGroupThen403StillGivesTheReasons(String protocol) {
        GatewayClient.Response response = client(protocol).get("/payslips/3", Map.of("Accept", "application/json",
                "Authorization", "Bearer " + issuer.es256(c -> c.claim("groups", List.of("staff")))));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().path("reasons").toString()).contains("payroll-admins", "boss@corp.example");
    }

    @Test
    void refuseWhenSignedInBrowserHitsADenyRuleThen403PageGivesTheReasons() {
        GatewayClient.Response response = client().get("/admin/x", Map.of("Host", "wiki.localhost",
                "Accept", "text/html", "Authorization", "Bearer " + issuer.es256(c -> { })));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("Access denied", "10.98.0.0/16", response.header("X-Request-Id"));
    }
}
