package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The final {@code gatehouse-denied} event of a cut event stream: one well-formed data line whatever the reason. */
class StreamTrackingWebFilterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deniedEventWhenReasonHasQuotesBackslashesControlsAndLineSeparatorThenOneDataLineParsingBackToIt()
            throws Exception {
        String reason = "gatehouse: \"denied\" \\ path C:\\x\r\nevent: fake\n\ndata: {}\t\u0000\u001f\u2028\u2029 é";

        String event = StreamTrackingWebFilter.deniedEvent("req-\"1\"", reason);

        assertThat(event).startsWith("event: gatehouse-denied\ndata: ").endsWith("\n\n");
        // SSE splits lines at CR, LF and CRLF only: the event is exactly two lines and the blank one.
        List<String> lines = List.of(event.substring(0, event.length() - 2).split("\r\n|\r|\n", -1));
        assertThat(lines).hasSize(2);
        String data = lines.get(1).substring("data: ".length());
        assertThat(data).doesNotContain("\u0000", "\u001f", "\t");
        JsonNode parsed = JSON.readTree(data);
        assertThat(parsed.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("code", "request_id", "reason");
        assertThat(parsed.get("code").asText()).isEqualTo("connection-cut");
        assertThat(parsed.get("request_id").asText()).isEqualTo("req-\"1\"");
        assertThat(parsed.get("reason").asText()).isEqualTo(reason);
    }
}
