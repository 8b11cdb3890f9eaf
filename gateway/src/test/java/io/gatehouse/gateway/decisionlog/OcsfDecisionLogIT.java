package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Two sinks, {@code gatehouse.decision} in the Gatehouse format and {@code gatehouse.decision.ocsf} in OCSF: every
 * request over HTTP/1.1 and HTTP/2, allowed or denied, gives one line on each, the Gatehouse one valid against
 * docs/decision-log.schema.json (DecisionLogITSupport) and the OCSF one against docs/ocsf-http-activity.schema.json,
 * both about the same request.
 */
class OcsfDecisionLogIT extends DecisionLogITSupport {

    private static final String OCSF_LOGGER = "gatehouse.decision.ocsf";
    private final ListAppender<ILoggingEvent> ocsfLines = new ListAppender<>();

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow: [{name: anyone, public: true}]
                      deny: [{name: no-admin, paths: ["/admin/**"]}]
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.decision-log.sinks[0].logger", "gatehouse.decision")
                .property("gatehouse.decision-log.sinks[1].logger", OCSF_LOGGER)
                .property("gatehouse.decision-log.sinks[1].format", "ocsf");
    }

    @BeforeAll
    void captureOcsf() {
        ocsfLines.start();
        Logger logger = (Logger) LoggerFactory.getLogger(OCSF_LOGGER);
        logger.addAppender(ocsfLines);
        logger.setAdditive(false); // its lines are not Gatehouse lines: keep them off the parent's schema check
    }

    @AfterAll
    void releaseOcsf() {
        ((Logger) LoggerFactory.getLogger(OCSF_LOGGER)).detachAppender(ocsfLines);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void recordWhenAllowedThenOcsfSinkWritesAValidHttpActivityForTheSameRequest(boolean http2) {
        GatewayClient client = http2 ? client().http2() : client();
        GatewayClient.Response response = client.get("/docs/a?secret=1", Map.of("User-Agent", "probe/1.0"));
        assertThat(response.status()).isEqualTo(200);
        JsonNode gatehouse = onlyLineFor(response);

        JsonNode ocsf = onlyOcsfLineFor(response);

        OcsfSchema.assertValid(ocsf);
        assertThat(ocsf.path("class_uid").asInt()).isEqualTo(4002);
        assertThat(ocsf.path("activity_id").asInt()).isEqualTo(3);
        assertThat(ocsf.path("action_id").asInt()).isEqualTo(1);
        assertThat(ocsf.path("status_id").asInt()).isEqualTo(1);
        assertThat(ocsf.path("policy").path("name").asText()).isEqualTo("anyone");
        assertThat(ocsf.path("policy").path("version").asText())
                .isEqualTo(gatehouse.path("policy").path("version").asText());
        assertThat(ocsf.path("http_request").path("url").path("path").asText()).isEqualTo("/docs/a");
        assertThat(ocsf.path("http_request").path("user_agent").asText()).isEqualTo("probe/1.0");
        assertThat(ocsf.path("src_endpoint").path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ocsf.path("http_response").path("code").asInt()).isEqualTo(200);
        assertThat(ocsf.path("trace").path("uid").asText()).isEqualTo(gatehouse.path("trace_id").asText());
        assertThat(ocsf.path("unmapped").path("who").path("auth").asText()).isEqualTo("anonymous");
        assertThat(ocsf.toString()).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void recordWhenDeniedThenOcsfSinkSaysDeniedBlockedWithTheRuleAndReasons(boolean http2) {
        GatewayClient client = http2 ? client().http2() : client();
        GatewayClient.Response response = client.get("/admin/users", Map.of("Accept", "application/json"));
        assertThat(response.status()).isEqualTo(403);
        JsonNode gatehouse = onlyLineFor(response);

        JsonNode ocsf = onlyOcsfLineFor(response);

        OcsfSchema.assertValid(ocsf);
        assertThat(ocsf.path("action_id").asInt()).isEqualTo(2);
        assertThat(ocsf.path("disposition_id").asInt()).isEqualTo(2);
        assertThat(ocsf.path("status_id").asInt()).isEqualTo(2);
        assertThat(ocsf.path("http_status").asInt()).isEqualTo(403);
        assertThat(ocsf.path("policy").path("name").asText()).isEqualTo("no-admin");
        assertThat(ocsf.path("status_detail").asText())
                .isNotBlank().isEqualTo(String.join("; ", texts(gatehouse.path("why").path("reasons"))));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private JsonNode onlyOcsfLineFor(GatewayClient.Response response) {
        String id = response.header("X-Request-Id");
        await().atMost(Duration.ofSeconds(10)).until(() -> !ocsfLinesFor(id).isEmpty());
        List<JsonNode> found = ocsfLinesFor(id);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private List<JsonNode> ocsfLinesFor(String requestId) {
        List<String> all;
        synchronized (ocsfLines) {
            all = ocsfLines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
        return all.stream().map(DecisionLogITSupport::parse)
                .filter(line -> requestId.equals(line.path("metadata").path("uid").asText())).toList();
    }
}
