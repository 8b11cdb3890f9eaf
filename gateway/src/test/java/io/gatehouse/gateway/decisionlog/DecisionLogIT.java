package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One JSON line per request on gatehouse.decision, in docs/design.md's shape, with no credential in it. */
class DecisionLogIT extends DecisionLogITSupport {


    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow: [{name: anyone, public: true}]
                      deny: [{name: no-admin, paths: ["/admin/**"]}]
                  - id: audited
                    from: https://audit.localhost
                    to: %1$s
                    mode: audit
                    policy:
                      allow: [{name: staff, authenticated: true}]
                """.formatted(upstream);
    }

    @Test
    void recordWhenAllowedThenOneLineWithWhoWhatWhyWhereResultPolicyAndJti() {
        JsonNode line = onlyLineFor(client().get("/docs/a?q=1", Map.of("User-Agent", "probe/1.0")));

        assertThat(line.path("timestamp").asText()).isNotBlank();
        assertThat(line.path("trace_id").asText()).isNotBlank();
        assertThat(line.path("who").path("auth").asText()).isEqualTo("anonymous");
        assertThat(line.path("what").path("method").asText()).isEqualTo("GET");
        assertThat(line.path("what").path("host").asText()).isEqualTo("localhost");
        assertThat(line.path("what").path("path").asText()).isEqualTo("/docs/a");
        assertThat(line.path("what").path("route").asText()).isEqualTo("echo");
        assertThat(line.path("why").path("decision").asText()).isEqualTo("allow");
        assertThat(line.path("why").path("enforced").asBoolean()).isTrue();
        assertThat(line.path("why").path("mode").asText()).isEqualTo("enforce");
        assertThat(line.path("why").path("rule").asText()).isEqualTo("anyone");
        assertThat(line.path("where").path("source_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(line.path("where").path("user_agent").asText()).isEqualTo("probe/1.0");
        assertThat(line.path("where").path("tls").asText()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(200);
        assertThat(line.path("result").path("latency_ms").isNumber()).isTrue();
        assertThat(line.path("policy").path("version").asText()).hasSize(64);
        assertThat(line.path("assertion_jti").asText()).isNotBlank();
    }

    @Test
    void recordWhenDeniedThenLineSaysDenyWithRuleAndStatus() {
        JsonNode line = onlyLineFor(client().get("/admin/x"));

        assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
        assertThat(line.path("why").path("rule").asText()).isEqualTo("no-admin");
        assertThat(line.path("why").path("reasons").size()).isPositive();
        assertThat(line.path("result").path("status").asInt()).isEqualTo(403);
        assertThat(line.path("assertion_jti").isNull()).isTrue();
    }

    @Test
    void recordWhenAuditModeDeniesThenLetThroughAndLoggedEnforcedFalse() {
        GatewayClient.Response response = client().get("/", Map.of("Host", "audit.localhost"));
        JsonNode line = onlyLineFor(response);

        assertThat(response.status()).isEqualTo(200);
        assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
        assertThat(line.path("why").path("enforced").asBoolean()).isFalse();
        assertThat(line.path("why").path("mode").asText()).isEqualTo("audit");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(200);
    }

    @Test
    void recordNeverContainsTokenCookieAssertionOrQueryValues() {
        GatewayClient.Response response = client().get("/x?access_token=QUERYSECRET", Map.of(
                "Authorization", "Bearer BEARERSECRET",
                "Cookie", "__Host-gatehouse=COOKIESECRET",
                "X-Gatehouse-Assertion", "ASSERTIONSECRET"));
        String id = response.header("X-Request-Id");
        onlyLineFor(response);
        String raw = lines.list.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains(id)).findFirst().orElseThrow();

        assertThat(raw).doesNotContain("QUERYSECRET", "BEARERSECRET", "COOKIESECRET", "ASSERTIONSECRET");
        String minted = upstream.received().isEmpty() ? null : upstream.last().header("X-Gatehouse-Assertion");
        if (minted != null) {
            assertThat(raw).doesNotContain(minted);
        }
    }

    @Test
    void recordWhenJwksFetchedThenNoDecisionLine() {
        GatewayClient.Response response = client().get("/.well-known/gatehouse/jwks.json");
        client().get("/after-jwks");

        String id = response.header("X-Request-Id");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.stream()
                .anyMatch(e -> e.getFormattedMessage().contains("/after-jwks")));
        assertThat(linesFor(id)).isEmpty();
    }
}
