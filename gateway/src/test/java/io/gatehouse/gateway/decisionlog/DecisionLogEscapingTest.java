package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Client text (a header, a path, a claim) can neither break a decision-log line nor forge one: every control
 * character, C0, DEL, C1 (NEL U+0085, CSI U+009B, ...), the Unicode line and paragraph separators and the bidi
 * controls, is written as a JSON {@code \\uXXXX} escape, and the line reads back as the original text.
 */
class DecisionLogEscapingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(DecisionLogWriter.LOGGER);

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    static IntStream controlCharacters() {
        return Stream.of(
                IntStream.rangeClosed(0x00, 0x1f), IntStream.of(0x7f), IntStream.rangeClosed(0x80, 0x9f),
                IntStream.of(0x2028, 0x2029, 0x061c, 0x200e, 0x200f), IntStream.rangeClosed(0x202a, 0x202e),
                IntStream.rangeClosed(0x2066, 0x2069)).flatMapToInt(s -> s);
    }

    @ParameterizedTest
    @MethodSource("controlCharacters")
    void writeWhenValueHoldsControlCharacterThenEscapedAndReadsBack(int codePoint) throws Exception {
        String hostile = "a" + Character.toString(codePoint) + "{\"forged\":true}";

        String line = writeOne(Map.of("request_id", "esc", "what", Map.of("path", hostile),
                "who", Map.of("groups", List.of(hostile))));

        assertThat(line.chars().filter(c -> controlCharacters().anyMatch(cc -> cc == c))).isEmpty();
        assertThat(line).doesNotContain(Character.toString(codePoint)).doesNotContain("\n", "\r");
        JsonNode parsed = JSON.readTree(line);
        assertThat(parsed.path("what").path("path").asText()).isEqualTo(hostile);
        assertThat(parsed.path("who").path("groups").get(0).asText()).isEqualTo(hostile);
        assertThat(parsed.has("forged")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pat@corp.example", "Zoë Müller", "日本語", "emoji \uD83D\uDE00"})
    void writeWhenValueIsOrdinaryTextThenWrittenAsItIs(String text) {
        String line = writeOne(Map.of("request_id", "plain", "who", Map.of("email", text)));

        assertThat(line).contains("\"email\":\"" + text + "\"");
    }

    /** Through the writer and the logger, as RECORD writes; stop drains, so the line is there when stop returns. */
    private String writeOne(Map<String, Object> event) {
        DecisionLogWriter writer = new DecisionLogWriter(new DecisionLogWriter.Limits(8, 1 << 20, Duration.ofSeconds(10)),
                DecisionLogSink.forLogger(DecisionLogWriter.LOGGER), new SimpleMeterRegistry());
        writer.start();
        writer.submit(event);
        writer.stop();
        assertThat(lines.list).hasSize(1);
        return lines.list.get(0).getFormattedMessage();
    }
}
