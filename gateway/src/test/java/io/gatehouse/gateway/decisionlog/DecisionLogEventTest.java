package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed decision-log line writes the same bytes, member for member and in order, as the line documented before. */
class DecisionLogEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void lineWhenSessionAndRejectionThenSameBytesAsTheDocumentedShape() throws Exception {
        RequestContext context = new RequestContext("r-1", 0);
        context.authenticated(RequestContext.AuthKind.SESSION,
                new Identity("u-1", "pat@corp.example", List.of("eng"), Map.of(), null), "hash-1");
        context.rejected(new Reason("hygiene-dot-dot", "'..' in the path"));

        DecisionLogEvent event = RecordWebFilter.line(Instant.parse("2026-12-06T10:00:00Z"), "r-1", "t-1",
                RecordWebFilter.who(context), new DecisionLogEvent.What("GET", "app.example", "/a/../b", null),
                RecordWebFilter.why(context), new DecisionLogEvent.Where("10.0.0.1", "curl", null, null, "TLSv1.3"),
                400, 1.23456, "v-1", null);

        assertThat(JSON.writeValueAsString(event)).isEqualTo(JSON.writeValueAsString(documented(
                Map.of("subject", "u-1", "email", "pat@corp.example", "groups", List.of("eng"), "auth", "session",
                        "session", "hash-1"))));
    }

    @Test
    void lineWhenNoSessionThenNoSessionMemberAndNullsWritten() throws Exception {
        RequestContext context = new RequestContext("r-1", 0);

        DecisionLogEvent event = RecordWebFilter.line(Instant.parse("2026-12-06T10:00:00Z"), "r-1", null,
                RecordWebFilter.who(context), new DecisionLogEvent.What("GET", null, null, null),
                RecordWebFilter.why(context), new DecisionLogEvent.Where(null, null, null, null, null), 500, 0, "v",
                null);

        assertThat(JSON.writeValueAsString(event)).isEqualTo("{\"timestamp\":\"2026-12-06T10:00:00Z\","
                + "\"request_id\":\"r-1\",\"trace_id\":null,"
                + "\"who\":{\"subject\":null,\"email\":null,\"groups\":[],\"auth\":\"anonymous\"},"
                + "\"what\":{\"method\":\"GET\",\"host\":null,\"path\":null,\"route\":null},"
                + "\"why\":{\"decision\":\"deny\",\"enforced\":true,\"mode\":null,\"rule\":null,"
                + "\"reasons\":[\"failed before a decision\"]},"
                + "\"where\":{\"source_ip\":null,\"user_agent\":null,\"device_id\":null,\"device_trust\":null,"
                + "\"tls\":null},\"result\":{\"status\":500,\"latency_ms\":0.0},\"policy\":{\"version\":\"v\"},"
                + "\"assertion_jti\":null,\"facts\":null}");
    }

    /** The line as the untyped maps built it before it had a type. */
    private static Map<String, Object> documented(Map<String, Object> whoValues) {
        Map<String, Object> who = new LinkedHashMap<>();
        for (String key : List.of("subject", "email", "groups", "auth", "session")) {
            if (whoValues.containsKey(key)) {
                who.put(key, whoValues.get(key));
            }
        }
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("method", "GET");
        what.put("host", "app.example");
        what.put("path", "/a/../b");
        what.put("route", null);
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("decision", "deny");
        why.put("enforced", true);
        why.put("mode", null);
        why.put("rule", null);
        why.put("reasons", List.of("'..' in the path"));
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("source_ip", "10.0.0.1");
        where.put("user_agent", "curl");
        where.put("device_id", null);
        where.put("device_trust", null);
        where.put("tls", "TLSv1.3");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", 400);
        result.put("latency_ms", 1.23);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("timestamp", "2026-12-06T10:00:00Z");
        event.put("request_id", "r-1");
        event.put("trace_id", "t-1");
        event.put("who", who);
        event.put("what", what);
        event.put("why", why);
        event.put("where", where);
        event.put("result", result);
        event.put("policy", Map.of("version", "v-1"));
        event.put("assertion_jti", null);
        event.put("facts", null);
        return event;
    }
}
