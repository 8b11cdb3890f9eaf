package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests Netty's HTTP decoder refuses before any WebFilter runs still get their one decision-log line: a deny that
 * says the decoder refused it, with the path but never the query, and nothing reaches the upstream.
 */
class DecoderRejectionIT extends DecisionLogITSupport {

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 5\r\nContent-Length: 6", "Bad Header: x", "X-A:\u0001b"})
    void requestWhenDecoderRefusesItThenOneDenyLineSaysSoWithoutTheQuery(String badHeaders) {
        String path = "/decoder-" + UUID.randomUUID();

        RawHttp.Response response = RawHttp.send(gateway.pki(), gateway.httpsPort(),
                "POST " + path + "?token=s3cret HTTP/1.1\r\nHost: localhost\r\n" + badHeaders
                        + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.head()).doesNotContainIgnoringCase("X-Request-Id"); // RECORD never saw it
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(path).isEmpty());
        List<JsonNode> found = linesFor(path);
        assertThat(found).hasSize(1);
        JsonNode line = found.get(0);
        assertThat(line.path("what").path("path").asText()).isEqualTo(path);
        assertThat(line.toString()).doesNotContain("s3cret");
        assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
        // with the decoder's own finding after the status, e.g. "(status 400: Multiple Content-Length values found)"
        assertThat(line.path("why").path("reasons").get(0).asText()).contains("refused by the HTTP decoder")
                .containsPattern("\\(status 400: [ -~]{8,}\\)");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(400);
        assertThat(line.path("where").path("source_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(upstream.received()).isEmpty();
    }
}
