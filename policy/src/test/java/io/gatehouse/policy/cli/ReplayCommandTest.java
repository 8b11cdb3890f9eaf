package io.gatehouse.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.CompiledConfig;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.replay.LogLineFixture;
import io.gatehouse.testsupport.DecisionLogSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code gatehouse-policy replay} (docs/policy.md, "Replay"): lines decided by the config in force, re-decided by a
 * candidate; counts, flips, refusals, the JSON report, exit codes and errors with line numbers.
 */
@SuppressWarnings("unchecked")
class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-12-06T19:20:01Z");

    static final String IN_FORCE = """
            routes:
              - id: payroll
                from: https://payroll.corp.example
                to: http://payroll.internal
                policy:
                  allow:
                    - name: staff
                      domains: [corp.example]
              - id: wiki
                from: https://wiki.corp.example
                to: http://wiki.internal
                policy:
                  allow:
                    - name: everyone
                      authenticated: true
            """;

    static final String CANDIDATE = """
            routes:
              - id: payroll
                from: https://payroll.corp.example
                to: http://payroll.internal
                policy:
                  allow:
                    - name: finance
                      groups: [finance]
              - id: wiki
                from: https://wiki.corp.example
                to: http://wiki.internal
                policy:
                  allow:
                    - name: everyone
                      authenticated: true
            """;

    @TempDir
    Path dir;
    private CompiledConfig inForce;
    private Path candidate;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void files() throws Exception {
        inForce = LogLineFixture.config(IN_FORCE);
        candidate = Files.writeString(dir.resolve("candidate.yaml"), CANDIDATE);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = GatehousePolicyCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static Request request(String url, String email, String... groups) {
        return new Request("GET", URI.create(url), "10.0.0.7", T,
                new Identity("sub-" + email, email, List.of(groups), Map.of(), null), null);
    }

    private Path log(List<String> lines) throws Exception {
        lines.forEach(DecisionLogSchema::assertValid);
        return Files.write(dir.resolve("decisions.jsonl"), lines);
    }

    private Run replay(List<String> lines, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--log", log(lines).toString(), "--config",
                candidate.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://payroll.corp.example/reports | pat@corp.example     finance | rule_changed
            https://payroll.corp.example/reports | sam@corp.example     staff   | allow_to_deny
            https://payroll.corp.example/reports | kim@partner.example  finance | deny_to_allow
            https://payroll.corp.example/reports | lou@partner.example  staff   | same
            https://wiki.corp.example/           | lou@partner.example  staff   | same
            https://nowhere.corp.example/        | pat@corp.example     finance | same
            """)
    void replayWhenALineIsReDecidedThenItIsCountedAsItsOutcomeChanged(String url, String who, String expected)
            throws Exception {
        String[] parts = who.split(" +");
        String line = LogLineFixture.line(inForce, request(url, parts[0], parts[1]));

        JsonNode report = JSON.readTree(replay(List.of(line), "--format", "json").out());

        assertThat(report.get("lines").asLong()).isEqualTo(1);
        report.get("counts").fields().forEachRemaining(e -> assertThat(e.getValue().asLong())
                .as(e.getKey()).isEqualTo(e.getKey().equals(expected) ? 1 : 0));
    }

    @Test
    void replayWhenALineHasNoFactsThenCannotReplayWithTheReason() throws Exception {
        String line = LogLineFixture.line(inForce, request("https://payroll.corp.example/", "pat@corp.example"),
                Set.of(), m -> m.remove("facts"));

        Run run = run("replay", "--log", Files.writeString(dir.resolve("old.jsonl"), line + "\n").toString(),
                "--config", candidate.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("cannot replay  1").contains("1 × no-facts, first at line 1")
                .contains("written before the decision log carried them");
    }

    @Test
    void replayWhenTheGatewayTurnedTheRequestAwayBeforeDecidingThenCannotReplay() throws Exception {
        String line = LogLineFixture.line(inForce, request("https://payroll.corp.example/", "pat@corp.example"),
                Set.of(), m -> {
                    Map<String, Object> why = new java.util.LinkedHashMap<>();
                    why.put("decision", "deny");
                    why.put("enforced", true);
                    why.put("mode", null);
                    why.put("rule", null);
                    why.put("reasons", List.of("bearer token expired"));
                    m.put("why", why);
                    ((Map<String, Object>) m.get("what")).put("route", null);
                    m.put("facts", null);
                });

        Run run = replay(List.of(line), "--format", "json");

        JsonNode refusal = JSON.readTree(run.out()).get("cannot_replay").get(0);
        assertThat(refusal.get("code").asText()).isEqualTo("not-decided");
        assertThat(refusal.get("reason").asText()).contains("bearer token expired");
    }

    @Test
    void replayWhenTheCandidateReadsAClaimTheLineDidNotCaptureThenCannotReplay() throws Exception {
        Files.writeString(candidate, CANDIDATE.replace("groups: [finance]", "claims: {dept: [finance]}"));
        String line = LogLineFixture.line(inForce, request("https://payroll.corp.example/", "pat@corp.example"));

        Run run = replay(List.of(line));

        assertThat(run.out()).contains("1 × claim-not-captured, first at line 1: the candidate reads claim dept");
    }

    @Test
    void replayWhenLinesFlipThenTheTextReportSaysWhoWhatAndOldAndNewRule() throws Exception {
        Run run = replay(List.of(
                LogLineFixture.line(inForce, request("https://payroll.corp.example/reports", "pat@corp.example",
                        "finance")),
                LogLineFixture.line(inForce, request("https://payroll.corp.example/reports", "sam@corp.example",
                        "staff"))));

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("replayed 2 lines of").contains("allow → deny   1")
                .contains("rule changed   1")
                .contains("line 2  2026-12-06T19:20:01Z  sam@corp.example  GET payroll.corp.example/reports")
                .contains("before: allow (route payroll, rule staff): email domain corp.example is one of [corp.example]")
                .contains("after:  deny (route payroll, rule -): no allow rule matched; user sam@corp.example is "
                        + "in groups [staff], rule finance needs one of [finance]");
    }

    @Test
    void replayWhenFormatJsonThenTheReportHasItsDocumentedShape() throws Exception {
        Run run = replay(List.of(LogLineFixture.line(inForce,
                request("https://payroll.corp.example/reports", "sam@corp.example", "staff"))), "--format", "json");

        JsonNode report = JSON.readTree(run.out());
        assertThat(report.fieldNames()).toIterable().containsExactly("log", "config", "config_version", "lines",
                "counts", "cannot_replay", "flips", "flips_not_shown", "fail_on", "failed");
        assertThat(report.get("counts").fieldNames()).toIterable().containsExactly("same", "allow_to_deny",
                "deny_to_allow", "rule_changed", "cannot_replay");
        JsonNode flip = report.get("flips").get(0);
        assertThat(flip.fieldNames()).toIterable().containsExactly("line", "direction", "timestamp", "request_id",
                "who", "what", "before", "after");
        assertThat(flip.get("direction").asText()).isEqualTo("allow_to_deny");
        assertThat(flip.at("/who/email").asText()).isEqualTo("sam@corp.example");
        assertThat(flip.at("/what/path").asText()).isEqualTo("/reports");
        assertThat(flip.at("/before/rule").asText()).isEqualTo("staff");
        assertThat(flip.at("/after/decision").asText()).isEqualTo("deny");
        assertThat(flip.at("/after/reasons/0").asText()).isEqualTo("no allow rule matched");
    }

    @ParameterizedTest(name = "--fail-on {0} with {1} exits {2}")
    @CsvSource(delimiter = '|', textBlock = """
            allow-to-deny | sam@corp.example    staff   | 1
            allow-to-deny | kim@partner.example finance | 0
            deny-to-allow | kim@partner.example finance | 1
            deny-to-allow | sam@corp.example    staff   | 0
            any           | sam@corp.example    staff   | 1
            any           | kim@partner.example finance | 1
            any           | pat@corp.example    finance | 0
            """)
    void replayWhenFailOnNamesAFlipThatHappenedThenExitsOne(String failOn, String who, int exit) throws Exception {
        String[] parts = who.split(" +");
        Run run = replay(List.of(LogLineFixture.line(inForce,
                request("https://payroll.corp.example/", parts[0], parts[1]))), "--fail-on", failOn);

        assertThat(run.exit()).isEqualTo(exit);
        assertThat(run.out().contains("FAIL: lines flip")).isEqualTo(exit == 1);
    }

    @Test
    void replayWhenMoreFlipsThanMaxFlipsThenListsTheFirstAndCountsTheRest() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            lines.add(LogLineFixture.line(inForce, request("https://payroll.corp.example/", i + "@corp.example",
                    "staff")));
        }

        JsonNode report = JSON.readTree(replay(lines, "--format", "json", "--max-flips", "2").out());

        assertThat(report.get("flips")).hasSize(2);
        assertThat(report.get("flips").get(1).get("line").asInt()).isEqualTo(2);
        assertThat(report.get("flips_not_shown").asLong()).isEqualTo(3);
        assertThat(report.at("/counts/allow_to_deny").asLong()).isEqualTo(5);
    }

    @Test
    void replayWhenALineIsNotJsonThenNamesTheLineAndExitsTwo() throws Exception {
        String good = LogLineFixture.line(inForce, request("https://payroll.corp.example/", "pat@corp.example"));
        Path log = Files.write(dir.resolve("d.jsonl"), List.of(good, "", good, "{\"who\": ", good));

        Run run = run("replay", "--log", log.toString(), "--config", candidate.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("gatehouse-policy: " + log + ":4: malformed JSON at column");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void replayWhenALineIsNotADecisionLogLineThenNamesTheLineAndExitsTwo() throws Exception {
        Path log = Files.write(dir.resolve("d.jsonl"), List.of("{\"level\": \"INFO\", \"message\": \"started\"}"));

        Run run = run("replay", "--log", log.toString(), "--config", candidate.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(log + ":1: not a decision-log line: no \"why\" object");
    }

    @Test
    void replayWhenALineHasMalformedFactsThenNamesTheLineAndMemberAndExitsTwo() throws Exception {
        String line = LogLineFixture.line(inForce, request("https://payroll.corp.example/", "pat@corp.example"),
                Set.of(), m -> ((Map<String, Object>) m.get("facts")).remove("request"));
        Path log = Files.write(dir.resolve("d.jsonl"), List.of(line));

        Run run = run("replay", "--log", log.toString(), "--config", candidate.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(log + ":1: facts.request: expected an object");
    }

    @Test
    void replayWhenTheLogIsMissingThenExitsTwo() {
        Run run = run("replay", "--log", dir.resolve("nope.jsonl").toString(), "--config", candidate.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("nope.jsonl: cannot read: no such file");
    }

    @Test
    void replayWhenTheCandidateIsInvalidThenEveryErrorWithFileLineColumnAndExitsTwo() throws Exception {
        Files.writeString(candidate, CANDIDATE.replace("groups: [finance]", "grups: [finance]"));

        Run run = run("replay", "--log", log(List.of()).toString(), "--config", candidate.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(candidate + ":8:")
                .contains("unknown key \"grups\"").contains("invalid candidate config (1 errors)");
    }

    @Test
    void replayWhenFailOnIsNotKnownThenUsageErrorExitsTwo() throws Exception {
        Run run = replay(List.of(), "--fail-on", "sometimes");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--fail-on: \"sometimes\" is not one of allow-to-deny, deny-to-allow, any");
    }
}
