package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.policy.cli.GatehousePolicyCommand;
import io.gatehouse.testsupport.TestIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * Issue 21 end to end: live traffic through a route with a shadow policy (over HTTP/1.1 and HTTP/2), then
 * {@code gatehouse-policy replay} of the decision log it wrote against the config in which the shadow became the
 * policy. The replay's flips are exactly the lines whose {@code shadow} member recorded a disagreement, in the same
 * direction and naming the shadow's rule; {@code --fail-on} turns them into exit 1, and a replay against the config
 * that wrote the log changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowThenReplayIT extends DecisionLogITSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            routes:
              - id: payroll
                from: https://localhost/payroll
                to: %1$s
                policy:
            %2$s
            %3$s
              - id: wiki
                from: https://localhost/wiki
                to: %1$s
                policy:
                  allow: [{name: staff, groups: [staff]}]
            """;
    private static final String IN_FORCE = "      allow: [{name: staff, groups: [staff]}]";
    private static final String SHADOW = "      allow: [{name: finance, groups: [finance]}]\n"
            + "      deny: [{name: no-contractors, claims: {kind: [contractor]}}]";

    private TestIssuer issuer;
    private final List<GatewayClient.Response> responses = new ArrayList<>();

    @Override
    protected String config(URI upstream) {
        return ROUTES.formatted(upstream, IN_FORCE, "    shadow:\n" + SHADOW);
    }

    /** The candidate: the shadow became payroll's policy, and payroll has no shadow any more. */
    private String shadowBecamePolicy() {
        return ROUTES.formatted(upstream.uri(), SHADOW, "");
    }

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

    private Map<String, String> bearer(String kind, String... groups) {
        return Map.of("Authorization", "Bearer " + issuer.es256(c -> c.claim("groups", List.of(groups))
                .claim("kind", kind)));
    }

    /** The traffic, once per protocol: agreements, disagreements both ways, a rule change, anonymous, no shadow. */
    @BeforeAll
    void liveTraffic() {
        for (GatewayClient client : List.of(client(), client().http2())) {
            responses.add(client.get("/payroll/a", bearer("employee", "staff", "finance"))); // agree, rule changes
            responses.add(client.get("/payroll/b", bearer("employee", "staff")));            // would deny
            responses.add(client.get("/payroll/c", bearer("employee", "finance")));          // would allow
            responses.add(client.get("/payroll/d", bearer("contractor", "staff", "finance"))); // would deny (claim)
            responses.add(client.get("/payroll/e"));                                           // anonymous: agree
            responses.add(client.get("/wiki/f", bearer("employee", "staff")));               // no shadow
        }
        assertThat(responses).extracting(GatewayClient.Response::status)
                .containsExactly(200, 200, 403, 200, 401, 200, 200, 200, 403, 200, 401, 200);
    }

    private Path log() throws Exception {
        List<String> written = new ArrayList<>();
        for (GatewayClient.Response response : responses) {
            written.add(JSON.writeValueAsString(onlyLineFor(response)));
        }
        return Files.write(dir.resolve("decisions.jsonl"), written);
    }

    private record Run(int exit, JsonNode report, String err) {
    }

    private static Run replay(Path log, Path config, String... more) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatehousePolicyCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("replay", "--log", log.toString(), "--config", config.toString(),
                "--format", "json"));
        args.addAll(List.of(more));
        int exit = cli.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString().isBlank() ? JSON.createObjectNode() : JSON.readTree(out.toString()),
                err.toString());
    }

    @Test
    void replayWhenTheShadowBecomesThePolicyThenItFlipsExactlyTheLinesTheShadowDisagreedOn() throws Exception {
        Path log = log();
        Map<String, JsonNode> disagreed = new HashMap<>();
        for (GatewayClient.Response response : responses) {
            JsonNode line = onlyLineFor(response);
            if (line.has("shadow")) {
                disagreed.put(line.path("request_id").asText(), line.path("shadow"));
            }
        }
        assertThat(disagreed).hasSize(6);
        Path candidate = Files.writeString(dir.resolve("candidate.yaml"), shadowBecamePolicy());

        Run run = replay(log, candidate);

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = run.report();
        assertThat(report.at("/counts/cannot_replay").asInt()).as(report.toPrettyString()).isZero();
        assertThat(report.at("/counts/allow_to_deny").asInt()).isEqualTo(4);
        assertThat(report.at("/counts/deny_to_allow").asInt()).isEqualTo(2);
        assertThat(report.at("/counts/rule_changed").asInt()).isEqualTo(2);
        assertThat(report.at("/counts/same").asInt()).isEqualTo(4);
        Map<String, JsonNode> flipped = new HashMap<>();
        report.get("flips").forEach(flip -> flipped.put(flip.path("request_id").asText(), flip));
        assertThat(flipped.keySet()).isEqualTo(disagreed.keySet());
        disagreed.forEach((id, shadow) -> {
            JsonNode flip = flipped.get(id);
            assertThat(flip.path("direction").asText()).isEqualTo(shadow.path("disagreement").asText()
                    .equals("would-deny") ? "allow_to_deny" : "deny_to_allow");
            assertThat(flip.at("/after/decision").asText()).isEqualTo(shadow.path("decision").asText());
            assertThat(flip.at("/after/rule")).isEqualTo(shadow.path("rule"));
            assertThat(flip.at("/after/reasons")).isEqualTo(shadow.path("reasons"));
        });
    }

    @Test
    void replayWhenFailOnNamesTheShadowsDisagreementsThenExitsOneSoCiCanGateTheChange() throws Exception {
        Path log = log();
        Path candidate = Files.writeString(dir.resolve("candidate.yaml"), shadowBecamePolicy());

        assertThat(replay(log, candidate, "--fail-on", "allow-to-deny").exit()).isEqualTo(1);
        assertThat(replay(log, candidate, "--fail-on", "deny-to-allow").exit()).isEqualTo(1);
        assertThat(replay(log, candidate, "--fail-on", "any").report().path("failed").asBoolean()).isTrue();
    }

    @Test
    void replayWhenTheConfigThatWroteTheLogIsReplayedThenNothingChanges() throws Exception {
        Run run = replay(log(), gateway.configFile(), "--fail-on", "any");

        assertThat(run.exit()).as(run.report().toPrettyString()).isZero();
        assertThat(run.report().at("/counts/same").asInt()).isEqualTo(12);
    }
}
