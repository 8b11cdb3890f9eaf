package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Mode;
import io.gatehouse.policy.Outcome;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.policy.replay.DecisionFacts;
import io.gatehouse.testsupport.DecisionLogSchema;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * docs/decision-log.schema.json against lines written the way the gateway writes them (the record, serialised with the
 * writer's escapes): it takes every kind of line the gateway writes and refuses a line with a member missing, of the
 * wrong type, unknown or misspelt.
 */
class DecisionLogSchemaTest {

    /** As DecisionLogWriter serialises. */
    private static final ObjectMapper WRITER = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(new LogLineEscapes()));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "26ea99d6b8c4f2b1e0a9d8c7b6a5f4e3d2c1b0a99887766554433221100ffeed";
    private static final String TRACE = "67f40c9e1a2b3c4d5e6f708192a3b4c5";
    private static final Instant STARTED = Instant.parse("2026-11-23T20:32:59.428Z");

    @Test
    void allowWhenSessionDeviceAndAssertionThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.authenticated(RequestContext.AuthKind.SESSION,
                new Identity("37b37c15-u", "sam@corp.example", List.of("eng", "sre"), Map.of(), null),
                "0123456789abcdef0123456789abcdef");
        context.decided(new Decision(Outcome.ALLOW, "hello", "sre-only", Mode.ENFORCE, true,
                List.of(new Reason("rule-matched", "rule sre-only matched"))), null, VERSION);

        String line = line(context, new DecisionLogEvent.What("GET", "hello.localhost", "/whoami.json", "hello"),
                new DecisionLogEvent.Where("127.0.0.1", "curl/7.88.1", "sam-laptop", "high", "TLSv1.3"), 200,
                "mhs_5WZsQxUA9UPfnvd21g");

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).contains("\"session\":\"0123456789abcdef0123456789abcdef\"");
    }

    @Test
    void denyWhenAuditModeBearerOverIpv6ThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.authenticated(RequestContext.AuthKind.BEARER,
                new Identity("u-2", null, List.of(), Map.of(), null), null);
        context.decided(new Decision(Outcome.DENY, "hello", null, Mode.AUDIT, false,
                List.of(new Reason("no-rule", "no allow rule matched"))), null, VERSION);

        String line = line(context, new DecisionLogEvent.What("POST", "hello.localhost", "/a\u0000\u2028b", "hello"),
                new DecisionLogEvent.Where("0:0:0:0:0:0:0:1", "evil\r\n{\"why\":1}", null, null, "TLSv1.2"), 200,
                null);

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
    }

    @Test
    void denyWhenRefusedBeforeDecisionThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.rejected(new Reason("hygiene-dot-dot", "'..' in the path"));

        String line = line(context, new DecisionLogEvent.What("GET", "localhost", "/a/../b", null),
                new DecisionLogEvent.Where("127.0.0.1", null, null, null, "TLSv1.3"), 400, null);

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
    }

    /** Issue 21: the route's shadow policy would deny what its policy allowed; the line says so, and only then. */
    @Test
    void allowWhenShadowWouldDenyThenTheLineCarriesTheShadowAndIsValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.decided(new Decision(Outcome.ALLOW, "hello", "staff", Mode.ENFORCE, true,
                List.of(new Reason("rule-matched", "rule staff matched"))), null, VERSION,
                new Decision(Outcome.DENY, "hello", null, Mode.ENFORCE, true, List.of(new Reason("no-allow-rule",
                        "no allow rule matched"))));

        String line = line(context, new DecisionLogEvent.What("GET", "hello.localhost", "/", "hello"),
                new DecisionLogEvent.Where("127.0.0.1", "curl/7.88.1", null, null, "TLSv1.3"), 200, null);

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).contains("\"shadow\":{\"decision\":\"deny\",\"rule\":null,\"reasons\":"
                + "[\"no allow rule matched\"],\"disagreement\":\"would-deny\"},\"where\":");
    }

    @Test
    void denyWhenShadowAgreesThenTheLineHasNoShadow() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        Decision deny = new Decision(Outcome.DENY, "hello", null, Mode.ENFORCE, true,
                List.of(new Reason("no-allow-rule", "no allow rule matched")));
        context.decided(deny, null, VERSION, deny);

        String line = line(context, new DecisionLogEvent.What("GET", "hello.localhost", "/", "hello"),
                new DecisionLogEvent.Where("127.0.0.1", "curl/7.88.1", null, null, "TLSv1.3"), 403, null);

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).doesNotContain("shadow");
    }

    @Test
    void validateWhenShadowContradictsItsDirectionOrLacksAMemberThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(mutated(line -> line.putObject("shadow").put("decision", "deny")
                .put("rule", (String) null).put("disagreement", "would-allow").putArray("reasons").add("x"))))
                .isNotEmpty();
        assertThat(DecisionLogSchema.problems(mutated(line -> line.putObject("shadow").put("decision", "allow")
                .put("rule", "r").put("disagreement", "would-allow")))).anySatisfy(p -> assertThat(p).contains("reasons"));
        assertThat(DecisionLogSchema.problems(mutated(line -> line.putObject("shadow").put("decision", "allow")
                .put("rule", "r").put("disagreement", "would-allow").putArray("reasons").add("x")))).isEmpty();
    }

    /** As DecoderRejections writes: no trace, no route, no TLS, the decoder's reason. */
    @Test
    void denyWhenDecoderRefusedThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.rejected(new Reason("http-decoder-refused", "malformed HTTP request: refused by the HTTP decoder"
                + " before the gateway's stages (status 431)"));
        DecisionLogEvent event = RecordWebFilter.line(STARTED, context.requestId(), null, RecordWebFilter.who(context),
                new DecisionLogEvent.What(null, null, null, null), RecordWebFilter.why(context),
                new DecisionLogEvent.Where(null, null, null, null, null), 431, 0.4, VERSION, null);

        assertThat(DecisionLogSchema.problems(WRITER.writeValueAsString(event))).isEmpty();
    }

    /** A body that did not arrive in time: the error handler's 408, before a decision. */
    @Test
    void denyWhenRequestTimedOutThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);

        String line = line(context, new DecisionLogEvent.What("POST", "localhost", "/upload", null),
                new DecisionLogEvent.Where("127.0.0.1", "java", null, null, "TLSv1.3"), 408, null);

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).contains("\"reasons\":[\"failed before a decision\"]");
    }

    @Test
    void validateWhenMemberMissingThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("why")).remove("reasons"))))
                .anySatisfy(problem -> assertThat(problem).contains("reasons"));
        assertThat(DecisionLogSchema.problems(mutated(line -> line.remove("trace_id"))))
                .anySatisfy(problem -> assertThat(problem).contains("trace_id"));
    }

    @Test
    void validateWhenWrongTypeThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("result")).put("status", "200"))))
                .anySatisfy(problem -> assertThat(problem).contains("status"));
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("why")).put("enforced", "yes"))))
                .anySatisfy(problem -> assertThat(problem).contains("enforced"));
    }

    @Test
    void validateWhenUnknownOrMisspeltMemberThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(mutated(line -> line.put("token", "eyJ")))).isNotEmpty()
                .anySatisfy(problem -> assertThat(problem).contains("token"));
        assertThat(DecisionLogSchema.problems(mutated(line -> {
            ObjectNode where = (ObjectNode) line.get("where");
            where.set("source-ip", where.remove("source_ip"));
        }))).anySatisfy(problem -> assertThat(problem).contains("source-ip"));
    }

    @Test
    void validateWhenValueOutsideItsEnumOrFormatThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("why")).put("decision", "Allow"))))
                .isNotEmpty();
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("where"))
                .put("source_ip", "10.0.0.1, 203.0.113.7")))).isNotEmpty();
        assertThat(DecisionLogSchema.problems(mutated(line -> line.put("timestamp", "2026-11-23 20:32:59Z")))).isNotEmpty();
        assertThat(DecisionLogSchema.problems(mutated(line -> line.put("timestamp", "2026-13-45T20:32:59Z")))).isNotEmpty();
        // refused before a decision (no mode) yet an allow: the gateway never writes that
        assertThat(DecisionLogSchema.problems(mutated(line -> ((ObjectNode) line.get("why")).put("decision", "allow"))))
                .isNotEmpty();
    }

    @Test
    void assertValidWhenLineBreaksSchemaThenFailsWithLineAndMessages() throws Exception {
        String bad = mutated(line -> line.put("extra", 1));

        assertThatThrownBy(() -> DecisionLogSchema.assertValid(bad)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(bad).hasMessageContaining("extra");
        assertThatThrownBy(() -> DecisionLogSchema.assertValid("{\"why\":")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("not a JSON line");
        assertThatThrownBy(() -> DecisionLogSchema.assertValid(mutated(line -> { })
                .replace("\"policy\":", "\"why\":{},\"policy\":"))).hasMessageContaining("not a JSON line");
    }

    /** A valid line (refused before a decision), changed by {@code change}. */
    private static String mutated(Consumer<ObjectNode> change) throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        String valid = line(context, new DecisionLogEvent.What("GET", "localhost", "/", null),
                new DecisionLogEvent.Where("127.0.0.1", "curl", null, null, "TLSv1.3"), 500, null);
        assertThat(DecisionLogSchema.problems(valid)).isEmpty();
        ObjectNode node = (ObjectNode) JSON.readTree(valid);
        change.accept(node);
        return JSON.writeValueAsString(node);
    }

    private static String line(RequestContext context, DecisionLogEvent.What what, DecisionLogEvent.Where where,
                               int status, String assertionJti) throws Exception {
        return line(context, what, where, status, assertionJti, null);
    }

    private static String line(RequestContext context, DecisionLogEvent.What what, DecisionLogEvent.Where where,
                               int status, String assertionJti, DecisionFacts facts) throws Exception {
        return WRITER.writeValueAsString(RecordWebFilter.line(STARTED, context.requestId(), TRACE,
                RecordWebFilter.who(context), what, RecordWebFilter.why(context), RecordWebFilter.shadow(context), where,
                status, 12.3456, VERSION, assertionJti, facts));
    }

    /**
     * A decided request whose line carries its facts: an identity (a claim read, one left out, an auth time), a device
     * (its report age) and a device note; then changed by {@code change}.
     */
    private static String withFacts(Consumer<ObjectNode> change) throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        Request asked = new Request("GET", URI.create("https://hello.localhost:8443/whoami.json"), "127.0.0.1",
                STARTED, new Identity("u-1", "sam@corp.example", List.of("eng"),
                        Map.of("dept", List.of("eng"), "phone", List.of("+1 555 0100")), STARTED.minusSeconds(600)),
                new DevicePosture("sam-laptop", true, true, TrustLevel.HIGH, true, true, "macos", "14.5",
                        "sam@corp.example", STARTED.minusSeconds(90)),
                List.of(new Reason("device-inventory-slow", "device inventory answered late")));
        context.decided(new Decision(Outcome.ALLOW, "hello", "eng", Mode.ENFORCE, true,
                List.of(new Reason("claims", "claims dept one of [eng] hold"))), null, VERSION);
        ObjectNode node = (ObjectNode) JSON.readTree(line(context,
                new DecisionLogEvent.What("GET", "hello.localhost", "/whoami.json", "hello"),
                new DecisionLogEvent.Where("127.0.0.1", "curl", "sam-laptop", "high", "TLSv1.3"), 200, null,
                DecisionFacts.of(asked, ClaimsRead.ALL, Set.of("phone"))));
        change.accept(node);
        return JSON.writeValueAsString(node);
    }

    @Test
    void allowWhenDecidedWithFactsThenValidAndTheOmittedClaimIsNamedNotWritten() throws Exception {
        String line = withFacts(node -> { });

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).contains("\"left_out\":[\"identity.claims.phone\"]").contains("\"report_age_s\":90")
                .doesNotContain("555");
    }

    @Test
    void lineWhenFactsAreOffThenValid() throws Exception {
        RequestContext context = new RequestContext(RecordWebFilter.newRequestId(), 0);
        context.decided(new Decision(Outcome.DENY, "hello", null, Mode.ENFORCE, true,
                List.of(new Reason("no-rule", "no allow rule matched"))), null, VERSION);

        String line = line(context, new DecisionLogEvent.What("GET", "hello.localhost", "/", "hello"),
                new DecisionLogEvent.Where("127.0.0.1", null, null, null, "TLSv1.3"), 403, null, DecisionFacts.off());

        assertThat(DecisionLogSchema.problems(line)).isEmpty();
        assertThat(line).contains("\"facts\":{\"request\":null,\"identity\":null,\"device\":null,"
                + "\"device_notes\":[],\"left_out\":[\"all\"]}");
    }

    @Test
    void validateWhenFactsAreMalformedThenFails() throws Exception {
        assertThat(DecisionLogSchema.problems(withFacts(line -> ((ObjectNode) line.at("/facts/request"))
                .remove("time")))).anySatisfy(problem -> assertThat(problem).contains("time"));
        assertThat(DecisionLogSchema.problems(withFacts(line -> ((ObjectNode) line.at("/facts/identity"))
                .put("claims_captured", "some")))).isNotEmpty();
        assertThat(DecisionLogSchema.problems(withFacts(line -> ((ObjectNode) line.get("facts"))
                .putArray("left_out").add("phone")))).isNotEmpty();
        assertThat(DecisionLogSchema.problems(withFacts(line -> ((ObjectNode) line.at("/facts/device"))
                .put("trust", "hgh")))).isNotEmpty();
        assertThat(DecisionLogSchema.problems(withFacts(line -> ((ObjectNode) line.get("facts"))
                .put("token", "eyJ")))).anySatisfy(problem -> assertThat(problem).contains("token"));
    }
}
