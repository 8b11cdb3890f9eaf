package io.gatehouse.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DecisionLogSchema;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

/**
 * A gateway whose decision log (logger {@code gatehouse.decision}) the test reads line by line. Every line captured is
 * checked against docs/decision-log.schema.json ({@link DecisionLogSchema}) after each test and once more, for lines
 * the writer thread wrote late, after the last: a line that breaks the schema fails the test with the validator's
 * messages.
 */
public abstract class DecisionLogITSupport extends GatewayITSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeAll
    void captureDecisionLog() {
        lines.start();
        ((Logger) LoggerFactory.getLogger("gatehouse.decision")).addAppender(lines);
    }

    /** How many captured lines were checked against the schema already. */
    private int checkedLines;

    @AfterEach
    void linesMatchTheSchema() {
        List<String> unchecked;
        synchronized (lines) {
            unchecked = lines.list.subList(checkedLines, lines.list.size()).stream()
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
        checkedLines += unchecked.size();
        DecisionLogSchema.assertAllValid(unchecked);
    }

    @AfterAll
    void releaseDecisionLog() {
        ((Logger) LoggerFactory.getLogger("gatehouse.decision")).detachAppender(lines);
        linesMatchTheSchema();
    }

    /** Every decision-log line naming this request id, parsed. */
    protected List<JsonNode> linesFor(String requestId) {
        List<String> all;
        synchronized (lines) { // the appender adds under its own lock while the writer thread logs
            all = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
        return all.stream().filter(line -> line.contains(requestId)).map(DecisionLogITSupport::parse).toList();
    }

    /** The one line of this response's request (X-Request-Id), waiting for the writer thread; more than one fails. */
    protected JsonNode onlyLineFor(GatewayClient.Response response) {
        String id = response.header("X-Request-Id");
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(id).isEmpty());
        List<JsonNode> found = linesFor(id);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    protected static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    /** The trace id of a W3C traceparent ({@code 00-TRACE-SPAN-FLAGS}), checked for shape. */
    protected static String traceOf(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.substring(3, 35);
    }
}
