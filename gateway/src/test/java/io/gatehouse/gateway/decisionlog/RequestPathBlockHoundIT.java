package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatehouse.gateway.testing.BlockHoundExtension;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.gateway.testing.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The whole request path under BlockHound (STYLE.md, "Tests"): bearer verification, decision, ES256 assertion,
 * forwarding and the decision-log enqueue all run on Netty event loops, and none of them may block there. The
 * extension fails a test that saw a blocking call and names it; each test also checks the answer and its log line.
 */
@ExtendWith(BlockHoundExtension.class)
class RequestPathBlockHoundIT extends GatewayITSupport {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
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

    @BeforeAll
    void captureDecisionLog() {
        lines.start();
        ((Logger) LoggerFactory.getLogger("gatehouse.decision")).addAppender(lines);
    }

    @AfterAll
    void stopIssuer() {
        ((Logger) LoggerFactory.getLogger("gatehouse.decision")).detachAppender(lines);
        idp.close();
    }

    private GatewayClient.Response get(String authorization) {
        return client().get("/pay", Map.of("Authorization", authorization, "Accept", "application/json"));
    }

    @Test
    void requestsWhenAllowedThenForwardedWithAssertionAndLoggedWithoutBlocking() {
        int before = lines.list.size();
        for (int i = 0; i < 20; i++) {
            String token = i % 2 == 0 ? idp.es256(c -> { }) : idp.rs256(c -> { });
            GatewayClient.Response response = get("Bearer " + token);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }

        assertThat(upstream.received()).hasSize(20).allMatch(r -> r.hasHeader("X-Gatehouse-Assertion"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() - before >= 20);
    }

    @Test
    void requestWhenDeniedThenProblemAndLoggedWithoutBlocking() {
        int before = lines.list.size();

        GatewayClient.Response response = get("Bearer " + idp.es256(c -> c.claim("groups", List.of("sales"))));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(upstream.received()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() > before);
    }
}
