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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Black box: text a client controls (a header, the request target, the claims of its token) reaches the decision
 * log as data. The raw line holds no control character (C0, DEL, C1 such as NEL U+0085 and CSI U+009B, U+2028,
 * U+2029), stays one line, parses as JSON, and reads back as what the client sent.
 */
class LogInjectionIT extends DecisionLogITSupport {

    /** A forged second line after NEL, a terminal escape after CSI, and the Unicode line separators. */
    private static final String FORGED = "{\"request_id\":\"forged\",\"why\":{\"decision\":\"allow\"}}";

    private TestIssuer issuer;

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE);
    }

    @AfterAll
    void stopIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void recordWhenUserAgentHoldsC1ControlsThenEscapedOnOneLine(String protocol) {
        String agent = "probe\u0085" + FORGED + "\u009b31m\u0080\u009f";
        GatewayClient client = protocol.equals("h2") ? client().http2() : client();

        GatewayClient.Response response = client.get("/ua", Map.of("User-Agent", agent));

        assertThat(response.status()).isEqualTo(200);
        JsonNode line = cleanLineFor(response.header("X-Request-Id"));
        assertThat(line.path("where").path("user_agent").asText()).isEqualTo(agent);
    }

    @Test
    void recordWhenTheDecoderRefusesADelInAHeaderThenTheLineEscapesIt() {
        String marker = UUID.randomUUID().toString();

        GatewayClient.Response response = client().get("/del-" + marker, Map.of("User-Agent", "probe\u007f" + FORGED));

        assertThat(response.status()).isEqualTo(400);
        cleanLineFor(marker);
    }

    @Test
    void recordWhenTokenClaimsHoldControlsThenEscapedOnOneLine() {
        String subject = "u-17\u2028" + FORGED + "\u2029\u0085\u001b[2J\u009b2J\u202e";
        List<String> groups = List.of("staff\n" + FORGED, "ops\u0085\u2028x");
        String token = issuer.es256(c -> c.subject(subject).claim("groups", groups));

        GatewayClient.Response response = client().get("/claims", Map.of("Authorization", "Bearer " + token));

        assertThat(response.status()).isEqualTo(200);
        JsonNode line = cleanLineFor(response.header("X-Request-Id"));
        assertThat(line.path("who").path("subject").asText()).isEqualTo(subject);
        assertThat(line.path("who").path("groups")).extracting(JsonNode::asText).containsExactlyElementsOf(groups);
    }

    @Test
    void recordWhenRequestTargetHoldsRawC1BytesThenTheLineEscapesThem() {
        String marker = UUID.randomUUID().toString();

        String answer = client().raw("GET /raw-" + marker + "\u0085\u009b HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 ");
        await().atMost(Duration.ofSeconds(10)).until(() -> !rawLinesWith(marker).isEmpty());
        rawLinesWith(marker).forEach(LogInjectionIT::assertClean);
    }

    /** The one line naming this request id (or path), checked raw for control characters before it is parsed. */
    private JsonNode cleanLineFor(String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !rawLinesWith(text).isEmpty());
        List<String> raw = rawLinesWith(text);
        assertThat(raw).hasSize(1);
        assertClean(raw.get(0));
        return parse(raw.get(0));
    }

    private static void assertClean(String raw) {
        assertThat(raw.codePoints().filter(LogInjectionIT::control).mapToObj(Integer::toHexString).toList())
                .as("control characters written raw in %s", raw).isEmpty();
        assertThat(raw).doesNotContain("\"request_id\":\"forged\"");
    }

    private static boolean control(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e);
    }

    /** The decision-log lines (as written) that contain {@code text}; read under the appender's lock. */
    private List<String> rawLinesWith(String text) {
        List<ILoggingEvent> events;
        synchronized (lines) {
            events = new ArrayList<>(lines.list);
        }
        return events.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.contains(text)).toList();
    }
}
