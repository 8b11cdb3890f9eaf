package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactly one decision-log line per request, whatever answered it and over HTTP/1.1 and HTTP/2 alike (HTTP/2 is what
 * browsers speak): allowed, 401, 403, the upstream's own 404, a hygiene 400, and requests for the gateway's reserved
 * {@code /.gatehouse/} paths that hygiene or authentication refused. Each line names the host, the status and the
 * decision; no second line claims the request was refused by the HTTP decoder.
 */
class OneLinePerRequestIT extends DecisionLogITSupport {

    private TestIssuer issuer;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        // The issuer's own HTTP server answers 404 for any path it does not serve: an upstream that says 404.
        builder.config("""
                routes:
                  - id: public
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow: [{name: anyone, public: true}]
                      deny: [{name: no-admin, paths: ["/admin/**"]}]
                  - id: staff
                    from: https://staff.localhost
                    to: %1$s
                    policy:
                      allow: [{name: staff, groups: [staff]}]
                  - id: missing
                    from: https://missing.localhost
                    to: %2$s
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(upstream.uri(), issuer.issuer()))
                .property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    /** One request: where it goes, what it carries, and what its one line must say. */
    record Case(String name, String host, String path, Map<String, String> headers, int status, String decision) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> requests() {
        List<Case> cases = List.of(
                new Case("allowed", "localhost", "/ok/", Map.of(), 200, "allow"),
                new Case("anonymous on a login-only route", "staff.localhost", "/s/", Map.of(), 401, "deny"),
                new Case("deny rule", "localhost", "/admin/", Map.of(), 403, "deny"),
                new Case("upstream 404", "missing.localhost", "/nothing/", Map.of(), 404, "allow"),
                new Case("hygiene 400", "localhost", "/a%2Fb/", Map.of(), 400, "deny"),
                new Case("reserved path refused by hygiene", "localhost", "/.gatehouse/a%2Fb/", Map.of(), 400, "deny"),
                new Case("reserved path refused by authentication", "localhost", "/.gatehouse/logout/",
                        Map.of("Authorization", "Bearer not-a-jwt"), 401, "deny"));
        return Stream.of(false, true).flatMap(h2 -> cases.stream().map(c -> Arguments.of(h2 ? "HTTP/2" : "HTTP/1.1", c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requests")
    void recordWhenRequestAnsweredThenExactlyOneLineWithHostStatusAndDecision(String protocol, Case c) {
        String marker = UUID.randomUUID().toString();
        GatewayClient client = protocol.equals("HTTP/2") ? client().http2() : client();
        Map<String, String> headers = new java.util.HashMap<>(c.headers());
        headers.put("Host", c.host());
        headers.put("Accept", "application/json");

        GatewayClient.Response response = client.get(c.path() + marker, headers);

        assertThat(response.protocol()).isEqualTo(protocol.equals("HTTP/2") ? "HTTP/2.0" : "HTTP/1.1");
        assertThat(response.status()).as(response.body()).isEqualTo(c.status());
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesWith(marker).isEmpty());
        // A second line would come from the listener's hook after the response went out: give it time to show.
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> linesWith(marker).size() == 1);
        JsonNode line = linesWith(marker).get(0);
        assertThat(line.path("request_id").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(line.path("what").path("host").asText()).isEqualTo(c.host());
        assertThat(line.path("result").path("status").asInt()).isEqualTo(c.status());
        assertThat(line.path("why").path("decision").asText()).isEqualTo(c.decision());
        assertThat(line.path("why").path("reasons").toString()).doesNotContain("refused by the HTTP decoder");
    }

    private List<JsonNode> linesWith(String marker) {
        List<ILoggingEvent> events;
        synchronized (lines) {
            events = new java.util.ArrayList<>(lines.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains(marker))
                .map(DecisionLogITSupport::parse).toList();
    }
}
