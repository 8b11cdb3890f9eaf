package io.gatehouse.policy.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decision facts written and read back: the request a replay decides is the one the policy was asked about. */
class FactsReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-06T19:20:01.123456789Z");

    private static Request request(Map<String, List<String>> claims) {
        Identity who = new Identity("u-1", "pat@corp.example", List.of("staff", "finance"), claims,
                Instant.parse("2026-12-06T08:00:00Z"), false);
        DevicePosture device = new DevicePosture("dev-42", true, true, TrustLevel.HIGH, true, true, "macos", "14.5",
                "pat@corp.example", Instant.parse("2026-12-06T19:00:00Z"));
        return new Request("POST", URI.create("https://payroll.corp.example:8443/reports/2026"), "10.0.0.7", NOW,
                who, device, List.of(new Reason("device-inventory-slow", "device inventory answered late")));
    }

    /** The facts as they travel: written by Jackson, parsed back into maps and lists. */
    private static Object travelled(DecisionFacts facts) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(facts), Object.class);
    }

    @Test
    void readWhenFactsWereWrittenThenTheSameRequestComesBack() throws Exception {
        Request asked = request(Map.of("dept", List.of("eng"), "acr", List.of("mfa")));
        Object facts = travelled(DecisionFacts.of(asked, ClaimsRead.of(List.of("dept", "acr")), Set.of()));

        FactsReader.Result read = FactsReader.read(facts, ClaimsRead.of(List.of("dept")));

        assertThat(read).isEqualTo(new FactsReader.Rebuilt(asked));
    }

    @Test
    void ofWhenTheDeviceReportedThenTheReportAgeIsWritten() throws Exception {
        Map<?, ?> facts = (Map<?, ?>) travelled(DecisionFacts.of(request(Map.of()), ClaimsRead.NONE, Set.of()));

        assertThat(((Map<?, ?>) facts.get("device")).get("report_age_s")).isEqualTo(1201);
    }

    @Test
    void ofWhenTheConfigReadsSomeClaimsThenOnlyThoseAreCaptured() throws Exception {
        Request asked = request(Map.of("dept", List.of("eng"), "phone", List.of("+1 555 0100")));
        Map<?, ?> identity = (Map<?, ?>) ((Map<?, ?>) travelled(
                DecisionFacts.of(asked, ClaimsRead.of(List.of("dept", "acr")), Set.of()))).get("identity");

        assertThat(identity.get("claims")).isEqualTo(Map.of("dept", List.of("eng")));
        assertThat(identity.get("claims_captured")).isEqualTo(List.of("acr", "dept"));
    }

    @Test
    void readWhenTheCandidateReadsAClaimNotCapturedThenCannotReplay() throws Exception {
        Object facts = travelled(DecisionFacts.of(request(Map.of("dept", List.of("eng"))),
                ClaimsRead.of(List.of("acr")), Set.of()));

        FactsReader.Result read = FactsReader.read(facts, ClaimsRead.of(List.of("dept")));

        assertThat(read).isInstanceOfSatisfying(FactsReader.Refused.class, r -> {
            assertThat(r.code()).isEqualTo("claim-not-captured");
            assertThat(r.reason()).contains("claim dept");
        });
    }

    @Test
    void readWhenTheCandidateReadsAClaimLeftOutThenCannotReplayAndSaysSo() throws Exception {
        DecisionFacts written = DecisionFacts.of(request(Map.of("phone", List.of("+1 555 0100"))),
                ClaimsRead.ALL, Set.of("phone"));
        assertThat(written.leftOut()).containsExactly("identity.claims.phone");
        assertThat(written.identity().claims()).doesNotContainKey("phone");

        FactsReader.Result read = FactsReader.read(travelled(written), ClaimsRead.of(List.of("phone")));

        assertThat(read).isInstanceOfSatisfying(FactsReader.Refused.class,
                r -> assertThat(r.code()).isEqualTo("claim-left-out"));
    }

    @Test
    void readWhenAClaimWasLeftOutThatTheCandidateDoesNotReadThenReplays() throws Exception {
        Object facts = travelled(DecisionFacts.of(request(Map.of("phone", List.of("+1"), "dept", List.of("eng"))),
                ClaimsRead.ALL, Set.of("phone")));

        assertThat(FactsReader.read(facts, ClaimsRead.of(List.of("dept")))).isInstanceOf(FactsReader.Rebuilt.class);
    }

    @Test
    void readWhenTheCandidateReadsEveryClaimAndTheLineCapturedSomeThenCannotReplay() throws Exception {
        Object facts = travelled(DecisionFacts.of(request(Map.of()), ClaimsRead.of(List.of("dept")), Set.of()));

        assertThat(FactsReader.read(facts, ClaimsRead.ALL)).isInstanceOfSatisfying(FactsReader.Refused.class,
                r -> assertThat(r.code()).isEqualTo("claim-not-captured"));
    }

    @Test
    void readWhenFactsWereOffThenCannotReplay() throws Exception {
        assertThat(FactsReader.read(travelled(DecisionFacts.off()), ClaimsRead.NONE))
                .isInstanceOfSatisfying(FactsReader.Refused.class, r -> assertThat(r.code()).isEqualTo("facts-off"));
    }

    @Test
    void readWhenTheRequestTimeIsMissingThenSaysWhich() {
        Map<String, Object> facts = Map.of("request", Map.of("method", "GET", "url", "https://a.example/",
                "source_ip", "10.0.0.1"), "device_notes", List.of(), "left_out", List.of());

        assertThatThrownBy(() -> FactsReader.read(facts, ClaimsRead.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("facts.request.time: missing");
    }

    @Test
    void readWhenTheDeviceTrustIsNotALevelThenSaysWhich() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) travelled(
                DecisionFacts.of(request(Map.of()), ClaimsRead.NONE, Set.of()));
        @SuppressWarnings("unchecked")
        Map<String, Object> device = (Map<String, Object>) facts.get("device");
        device.put("trust", "hgh");

        assertThatThrownBy(() -> FactsReader.read(facts, ClaimsRead.NONE))
                .hasMessageContaining("facts.device.trust: \"hgh\" is not one of untrusted, basic, high");
    }
}
