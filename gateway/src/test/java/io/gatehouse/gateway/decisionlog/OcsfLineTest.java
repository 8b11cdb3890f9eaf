package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Gatehouse line → OCSF 1.8.0 HTTP Activity mapping, each output checked against the committed schema. */
class OcsfLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALLOW = """
            {"timestamp":"2026-12-06T19:30:00.123Z","request_id":"5d0c1f9e-3b4a-4c8e-9a1b-2c3d4e5f6a7b",\
            "trace_id":"0af7651916cd43dd8448eb211c80319c",\
            "who":{"subject":"u-42","email":"ada@corp.example","groups":["eng","oncall"],"auth":"session",\
            "session":"9f86d081884c7d659a2feaa0c55ad015"},\
            "what":{"method":"GET","host":"wiki.corp.example","path":"/docs/a","route":"wiki"},\
            "why":{"decision":"allow","enforced":true,"mode":"enforce","rule":"staff","reasons":["group eng is one of [eng]"]},\
            "where":{"source_ip":"192.0.2.7","user_agent":"probe/1.0","device_id":"sha256:ab12","device_trust":"high","tls":"TLSv1.3"},\
            "result":{"status":200,"latency_ms":3.62},"policy":{"version":"%s"},"assertion_jti":"j-1"}"""
            .formatted("a".repeat(64));
    private static final String DENY = """
            {"timestamp":"2026-12-06T19:30:01Z","request_id":"6d0c1f9e-3b4a-4c8e-9a1b-2c3d4e5f6a7b","trace_id":null,\
            "who":{"subject":null,"email":null,"groups":[],"auth":"anonymous"},\
            "what":{"method":"PROPFIND","host":"wiki.corp.example","path":"/admin","route":"wiki"},\
            "why":{"decision":"deny","enforced":true,"mode":"enforce","rule":"no-admin","reasons":["path /admin matches /admin/**"]},\
            "where":{"source_ip":"2001:db8::1","user_agent":null,"device_id":null,"device_trust":null,"tls":"TLSv1.2"},\
            "result":{"status":403,"latency_ms":0.4},"policy":{"version":"%s"},"assertion_jti":null}"""
            .formatted("b".repeat(64));

    private final OcsfLine ocsf = new OcsfLine("1.2.3");

    @Test
    void renderWhenAllowedThenHttpActivityWithWhoWhatWhyWhereAndResult() throws IOException {
        JsonNode line = JSON.readTree(ocsf.render(ALLOW));

        OcsfSchema.assertValid(line);
        assertThat(line.path("class_uid").asInt()).isEqualTo(4002);
        assertThat(line.path("activity_id").asInt()).isEqualTo(3);
        assertThat(line.path("type_uid").asLong()).isEqualTo(400203L);
        assertThat(line.path("time").asLong()).isEqualTo(1_796_585_400_123L);
        assertThat(line.path("metadata").path("version").asText()).isEqualTo("1.8.0");
        assertThat(line.path("metadata").path("product").path("version").asText()).isEqualTo("1.2.3");
        assertThat(line.path("metadata").path("uid").asText()).isEqualTo("5d0c1f9e-3b4a-4c8e-9a1b-2c3d4e5f6a7b");
        assertThat(line.path("actor").path("user").path("uid").asText()).isEqualTo("u-42");
        assertThat(line.path("actor").path("user").path("email_addr").asText()).isEqualTo("ada@corp.example");
        assertThat(line.path("actor").path("user").path("groups").findValuesAsText("name"))
                .containsExactly("eng", "oncall");
        assertThat(line.path("actor").path("session").path("uid").asText()).hasSize(32);
        assertThat(line.path("http_request").path("url").path("url_string").asText())
                .isEqualTo("https://wiki.corp.example/docs/a");
        assertThat(line.path("dst_endpoint").path("svc_name").asText()).isEqualTo("wiki");
        assertThat(line.path("action_id").asInt()).isEqualTo(1);
        assertThat(line.path("disposition_id").asInt()).isEqualTo(1);
        assertThat(line.path("status_id").asInt()).isEqualTo(1);
        assertThat(line.path("policy").path("name").asText()).isEqualTo("staff");
        assertThat(line.path("src_endpoint").path("ip").asText()).isEqualTo("192.0.2.7");
        assertThat(line.path("device").path("uid").asText()).isEqualTo("sha256:ab12");
        assertThat(line.path("http_response").path("code").asInt()).isEqualTo(200);
        assertThat(line.path("http_response").path("latency").asLong()).isEqualTo(4);
        assertThat(line.path("trace").path("uid").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void renderWhenFactHasNoOcsfAttributeThenItIsUnderUnmappedWithItsGatehousePath() throws IOException {
        JsonNode unmapped = JSON.readTree(ocsf.render(ALLOW)).path("unmapped");

        assertThat(unmapped.path("who").path("auth").asText()).isEqualTo("session");
        assertThat(unmapped.path("why").path("mode").asText()).isEqualTo("enforce");
        assertThat(unmapped.path("where").path("device_trust").asText()).isEqualTo("high");
        assertThat(unmapped.path("assertion_jti").asText()).isEqualTo("j-1");
        assertThat(leaves(unmapped)).containsExactlyInAnyOrder("who.auth", "why.mode", "where.device_trust",
                "assertion_jti");
    }

    @Test
    void renderWhenLineGainsAMemberThenItLandsInUnmappedNotLost() throws IOException {
        String withShadow = ALLOW.replace("\"assertion_jti\"", "\"shadow\":{\"decision\":\"deny\"},\"assertion_jti\"");

        JsonNode line = JSON.readTree(ocsf.render(withShadow));

        OcsfSchema.assertValid(line);
        assertThat(line.path("unmapped").path("shadow").path("decision").asText()).isEqualTo("deny");
    }

    @Test
    void renderWhenDeniedAnonymouslyThenDeniedBlockedFailureWithReasonsAndNoActor() throws IOException {
        JsonNode line = JSON.readTree(ocsf.render(DENY));

        OcsfSchema.assertValid(line);
        assertThat(line.has("actor")).isFalse();
        assertThat(line.path("activity_id").asInt()).isEqualTo(99);
        assertThat(line.path("type_uid").asLong()).isEqualTo(400299L);
        assertThat(line.path("action_id").asInt()).isEqualTo(2);
        assertThat(line.path("disposition_id").asInt()).isEqualTo(2);
        assertThat(line.path("status_id").asInt()).isEqualTo(2);
        assertThat(line.path("severity_id").asInt()).isEqualTo(2);
        assertThat(line.path("status_detail").asText()).isEqualTo("path /admin matches /admin/**");
        assertThat(line.path("src_endpoint").path("ip").asText()).isEqualTo("2001:db8::1");
        assertThat(line.path("policy").path("is_applied").asBoolean()).isTrue();
        assertThat(line.has("trace")).isFalse();
    }

    @Test
    void renderWhenAuditModeDenyWentThroughThenAllowedButLoggedAsFailure() throws IOException {
        String audit = DENY.replace("\"enforced\":true,\"mode\":\"enforce\"", "\"enforced\":false,\"mode\":\"audit\"");

        JsonNode line = JSON.readTree(ocsf.render(audit));

        OcsfSchema.assertValid(line);
        assertThat(line.path("action_id").asInt()).isEqualTo(1);
        assertThat(line.path("disposition_id").asInt()).isEqualTo(17);
        assertThat(line.path("status_id").asInt()).isEqualTo(2);
        assertThat(line.path("severity_id").asInt()).isEqualTo(3);
        assertThat(line.path("policy").path("is_applied").asBoolean()).isFalse();
    }

    @Test
    void renderWhenClientTextHasControlCharactersThenTheyStayEscaped() throws IOException {
        String forged = ALLOW.replace("probe/1.0", "probe\\u2028{\\\"forged\\\":1}\\n");

        String line = ocsf.render(forged);

        assertThat(line).doesNotContain("\n", "\u2028").contains("\\u2028");
        assertThat(JSON.readTree(line).path("http_request").path("user_agent").asText()).startsWith("probe\u2028");
    }

    @Test
    void renderWhenNotAJsonObjectThenIOException() {
        assertThatThrownBy(() -> ocsf.render("[1]")).isInstanceOf(IOException.class);
    }

    @Test
    void activityIdWhenEveryClassMethodThenItsOcsfNumber() {
        assertThat(List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "TRACE", "PATCH", "get")
                .stream().map(OcsfLine::activityId)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 3);
    }

    private static List<String> leaves(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isObject()) {
                leaves(f.getValue()).forEach(l -> out.add(f.getKey() + "." + l));
            } else {
                out.add(f.getKey());
            }
        });
        return out;
    }
}
