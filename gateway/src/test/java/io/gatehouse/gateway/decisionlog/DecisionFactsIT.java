package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.device.InventoryStub;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.policy.cli.GatehousePolicyCommand;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.TestIssuer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The decision facts a running gateway writes (docs/operations.md, "Decision facts (for replay)"): a bearer caller's identity
 * with the claims the config reads and no other (not the one the operator left out either), the device posture
 * snapshot with its report age, and the request as the policy judged it — and those lines, replayed with
 * {@code gatehouse-policy replay} against the same config, decide the same, over HTTP/1.1 and HTTP/2.
 */
class DecisionFactsIT extends DecisionLogITSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HIGH = """
            {"id": "dev-42", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    private TestIssuer issuer;
    private InventoryStub inventory;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %s
                    policy:
                      deny:
                        - name: no-contractors
                          cel: 'has(identity.claims.kind) && identity.claims.kind[0] == "contractor"'
                      allow:
                        - name: finance-on-good-devices
                          claims: {dept: [finance]}
                          device: {trust: high, max_report_age: 3650d}
                        - name: staff-reads
                          groups: [staff]
                          methods: [GET]
                          paths: ["/handbook/**"]
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start();
        inventory = InventoryStub.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.decision-log.facts.omit-claims[0]", "phone");
    }

    @AfterAll
    void stopStubs() {
        if (issuer != null) {
            issuer.close();
        }
        if (inventory != null) {
            inventory.close();
        }
    }

    private String token(String dept, String kind) {
        return "Bearer " + issuer.es256(c -> c.claim("dept", dept).claim("kind", kind).claim("phone", "+1 555 0100")
                .claim("office", "Berlin"));
    }

    @Test
    void recordWhenBearerCallerWithDeviceThenFactsCarryClaimsReadDevicePostureAndRequest() {
        DevPki.Issued laptop = gateway.pki().issueDevice("facts-laptop");
        inventory.posture(laptop.sha256(), HIGH);

        GatewayClient.Response response = client().withDevice(laptop).get("/payslips/11?month=1",
                Map.of("Authorization", token("finance", "employee")));
        JsonNode facts = onlyLineFor(response).path("facts");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(facts.at("/request/method").asText()).isEqualTo("GET");
        // the URL the policy judged: the Host the client sent (no port), the canonical path, never the query
        assertThat(facts.at("/request/url").asText()).isEqualTo("https://localhost/payslips/11");
        assertThat(facts.at("/request/source_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(facts.at("/identity/sub").asText()).isEqualTo("u-17");
        assertThat(facts.at("/identity/claims").toString()).isEqualTo("{\"dept\":[\"finance\"],\"kind\":[\"employee\"]}");
        assertThat(facts.at("/identity/claims_captured").toString()).isEqualTo("[\"dept\",\"kind\"]");
        assertThat(facts.at("/device/id").asText()).isEqualTo("dev-42");
        assertThat(facts.at("/device/trust").asText()).isEqualTo("high");
        assertThat(facts.at("/device/report_age_s").asLong()).isPositive();
        assertThat(facts.path("left_out").toString()).isEqualTo("[]");
        assertThat(facts.toString()).doesNotContain("Berlin").doesNotContain("555");
    }

    @Test
    void replayWhenTheGatewaysLinesAreReplayedWithTheSameConfigThenEveryDecisionIsTheSame() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("replay-laptop");
        inventory.posture(laptop.sha256(), HIGH);
        List<GatewayClient.Response> responses = new ArrayList<>();
        for (GatewayClient client : List.of(client(), client().http2())) {
            GatewayClient device = client.withDevice(laptop);
            responses.add(device.get("/payslips/1", Map.of("Authorization", token("finance", "employee"))));
            responses.add(device.get("/payslips/2", Map.of("Authorization", token("finance", "contractor"))));
            responses.add(client.get("/payslips/3", Map.of("Authorization", token("finance", "employee"))));
            responses.add(client.get("/handbook/a", Map.of("Authorization", token("sales", "employee"))));
            responses.add(client.send("POST", "/handbook/a", Map.of("Authorization", token("sales", "employee")),
                    "x"));
            responses.add(client.get("/handbook/a"));
        }
        assertThat(responses).extracting(GatewayClient.Response::status)
                .containsExactly(200, 403, 403, 200, 403, 401, 200, 403, 403, 200, 403, 401);
        List<String> written = new ArrayList<>();
        for (GatewayClient.Response response : responses) {
            written.add(JSON.writeValueAsString(onlyLineFor(response)));
        }
        Path log = Files.write(dir.resolve("decisions.jsonl"), written);

        JsonNode report = replay(log, gateway.configFile());

        assertThat(report.at("/counts/same").asInt()).as(report.toPrettyString()).isEqualTo(12);
        assertThat(report.at("/counts/cannot_replay").asInt()).isZero();
        assertThat(report.get("lines").asInt()).isEqualTo(12);
    }

    @Test
    void replayWhenTheRequestWasTurnedAwayBeforeTheDecisionThenTheLineHasNoFactsAndCannotReplay() throws Exception {
        GatewayClient.Response response = client().get("/payslips/%2e%2e/admin");
        JsonNode line = onlyLineFor(response);
        assertThat(line.path("facts").isNull()).isTrue();
        Path log = Files.write(dir.resolve("refused.jsonl"), List.of(JSON.writeValueAsString(line)));

        JsonNode report = replay(log, gateway.configFile());

        assertThat(report.at("/cannot_replay/0/code").asText()).isEqualTo("not-decided");
    }

    @Test
    void replayWhenTheCandidateReadsAClaimTheLineDidNotCaptureThenCannotReplayNotGuessed() throws Exception {
        Files.writeString(dir.resolve("phone.yaml"), config(upstream.uri()).replace("claims: {dept: [finance]}",
                "claims: {phone: [\"+1 555 0100\"]}"));
        GatewayClient.Response response = client().get("/payslips/4",
                Map.of("Authorization", token("finance", "employee")));
        Path log = Files.write(dir.resolve("one.jsonl"), List.of(JSON.writeValueAsString(onlyLineFor(response))));

        JsonNode report = replay(log, dir.resolve("phone.yaml"));

        assertThat(report.at("/cannot_replay/0/code").asText()).as(report.toPrettyString())
                .isEqualTo("claim-not-captured");
    }

    private static JsonNode replay(Path log, Path config) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatehousePolicyCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("replay", "--log", log.toString(), "--config", config.toString(), "--format", "json");
        assertThat(exit).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }
}
