package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.ProblemSchema;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DECIDE's answers, one row of docs/design.md's failure table per test where the row is DECIDE's. */
class DecideIT extends GatewayITSupport {

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: open
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                      deny:
                        - name: no-admin
                          paths: ["/admin/**"]
                  - id: finance
                    from: https://finance.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: finance-staff
                          groups: [finance]
                  - id: audited
                    from: https://audit.localhost
                    to: %1$s
                    mode: audit
                    policy:
                      allow:
                        - name: finance-staff
                          groups: [finance]
                """.formatted(upstream);
    }

    @Test
    void decideWhenPolicyDeniesAnonymousApiClientThen403ProblemJsonWithRequestIdButNoPolicy() {
        GatewayClient.Response response = client().get("/admin/users", Map.of("Accept", "application/json"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("status").asInt()).isEqualTo(403);
        assertThat(response.json().path("route").asText()).isEqualTo("open");
        // the deny rule's glob is policy: an anonymous caller does not read it (signed in, it would: AnonymousRefusalIT)
        assertThat(response.json().path("reasons").size()).isZero();
        assertThat(response.body()).doesNotContain("/admin/**", "no-admin");
        assertThat(response.json().path("request_id").asText()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void decideWhenPolicyDeniesThenTheOneProblemSchemaWithTheRouteOverHttp11AndHttp2() {
        for (GatewayClient client : java.util.List.of(client(), client().http2())) {
            GatewayClient.Response response = client.get("/admin/users", Map.of("Accept", "application/json"));

            ProblemSchema.assertProblem(response, 403, "denied");
            assertThat(response.json().path("route").asText()).isEqualTo("open");
        }
    }

    @Test
    void decideWhenPolicyDeniesAnonymousBrowserThen403HtmlPageWithRequestIdButNoPolicy() {
        GatewayClient.Response response = client().get("/admin/", Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("Access denied").doesNotContain("/admin/**")
                .contains(response.header("X-Request-Id"));
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void decideWhenAnonymousOnRouteNeedingIdentityThen401WithBearerChallenge() {
        GatewayClient.Response response = client().get("/report", Map.of("Host", "finance.localhost"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void decideWhenAuditModeDeniesThenRequestGoesThrough() {
        GatewayClient.Response response = client().get("/report", Map.of("Host", "audit.localhost"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/report");
        assertThat(upstream.last().header("X-Gatehouse-Assertion")).isNotBlank();
    }

    @Test
    void decideWhenNoRouteMatchesThen404AndNothingForwarded() {
        GatewayClient.Response response = client().get("/", Map.of("Host", "nowhere.example"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("request_id").asText()).isNotBlank();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void decideWhenReservedPathUnknownThen404FromGatewayNeverForwarded() {
        GatewayClient.Response response = client().get("/.gatehouse/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("type").asText()).endsWith("reserved-path");
        assertThat(client().get("/.well-known/gatehouse/other").status()).isEqualTo(404);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void decideWhenNoCredentialsThenNoBasicOrFormLoginFromSpringSecurity() {
        GatewayClient.Response response = client().get("/x", Map.of("Host", "finance.localhost"));

        assertThat(response.headers().getOrDefault("www-authenticate", java.util.List.of()))
                .noneMatch(h -> h.startsWith("Basic"));
        assertThat(client().get("/login").status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/login");
    }
}
