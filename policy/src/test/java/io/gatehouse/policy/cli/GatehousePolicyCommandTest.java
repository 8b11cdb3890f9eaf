package io.gatehouse.policy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI contract of docs/design.md ("The policy CLI"), run in-process through picocli's {@code execute}. */
class GatehousePolicyCommandTest {
    private static final String EXAMPLES = "../examples/policies/";
    private static final String RESOURCES = "src/test/resources/";

    private record Run(int exit, String out, String err) {
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

    @Test
    void testWhenExampleTestFileRunsThenEveryCasePasses() {
        Run run = run("test", EXAMPLES + "gatehouse.test.yaml");
        assertThat(run.out()).doesNotContain("FAIL").containsPattern("(?m)^\\d+ passed, 0 failed$");
        assertThat(run.exit()).isZero();
    }

    @Test
    void testWhenACaseFailsThenExitOneAndSaysWhatDiffered() {
        Run run = run("test", RESOURCES + "cli/failing.test.yaml");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("FAIL").contains("decision: expected \"deny\", got \"allow\"").contains("0 passed, 1 failed");
    }

    @Test
    void testWhenTheConfigFileIsMissingThenNamesItAndExitsTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.test.yaml");
        Files.writeString(file, "config: missing.yaml\ncases: []\n");
        Run run = run("test", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("missing.yaml: cannot read: no such file");
    }

    @Test
    void checkWhenConfigIsValidThenExitZero() {
        Run run = run("check", EXAMPLES + "gatehouse.yaml");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("ok (7 routes)");
    }

    @Test
    void checkWhenConfigIsInvalidThenPrintsTheGoldenErrorsAndExitsOne() throws Exception {
        Path bad = Path.of(RESOURCES + "load/bad/bad_trust.yaml");
        Run run = run("check", bad.toString());
        assertThat(run.exit()).isEqualTo(1);
        String golden = Files.readString(Path.of(RESOURCES + "load/bad/bad_trust.errors"));
        assertThat(run.out()).isEqualTo(golden.replace("bad_trust.yaml:", bad + ":"));
        assertThat(run.out()).startsWith(bad + ":9:28: routes[0].policy.allow[0].device.trust: \"hgh\" is not one of untrusted, basic, high");
    }

    @Test
    void checkWhenShadowIsInvalidThenPrintsItsErrorsWithThePolicysAndExitsOne() throws Exception {
        Path bad = Path.of(RESOURCES + "load/bad/bad_shadow.yaml");
        Run run = run("check", bad.toString());
        assertThat(run.exit()).isEqualTo(1);
        String golden = Files.readString(Path.of(RESOURCES + "load/bad/bad_shadow.errors"));
        assertThat(run.out()).isEqualTo(golden.replace("bad_shadow.yaml:", bad + ":"));
        assertThat(run.out()).contains(bad + ":13:28: routes[0].shadow.allow[0].device.trust: \"hgh\" is not one of");
    }

    @Test
    void checkWhenRoutesCarryShadowsThenOkCountsThem(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, SHADOWED);
        Run run = run("check", config.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("ok (2 routes, 1 with a shadow policy)");
    }

    @Test
    void evalWhenRouteHasAShadowThatDisagreesThenTheLineCarriesIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("gatehouse.yaml");
        Files.writeString(config, SHADOWED);
        Path request = dir.resolve("r.json");
        Files.writeString(request, "{\"method\":\"GET\",\"url\":\"https://payroll.corp.example/\","
                + "\"source_ip\":\"10.0.0.1\",\"identity\":{\"sub\":\"u-1\",\"email\":\"pat@corp.example\","
                + "\"groups\":[\"staff\"]}}");
        Run run = run("eval", "--config", config.toString(), "--request", request.toString());
        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("decision").asText()).isEqualTo("allow");
        assertThat(json.get("shadow").get("decision").asText()).isEqualTo("deny");
        assertThat(json.get("shadow").get("rule").isNull()).isTrue();
        assertThat(json.get("shadow").get("reasons").get(0).asText()).isEqualTo("no allow rule matched");
        assertThat(json.get("shadow").get("disagreement").asText()).isEqualTo("would-deny");
    }

    private static final String SHADOWED = """
            routes:
              - id: payroll
                from: https://payroll.corp.example
                to: http://payroll.internal
                policy:
                  allow: [{name: staff, domains: [corp.example]}]
                shadow:
                  allow: [{name: finance, groups: [finance]}]
              - id: wiki
                from: https://wiki.corp.example
                to: http://wiki.internal
            """;

    @Test
    void checkWhenFileIsMissingThenOneLineOnStderrAndExitTwo() {
        Run run = run("check", "no/such/gatehouse.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n").contains("no/such/gatehouse.yaml: cannot read");
    }

    @Test
    void evalWhenRequestIsValidThenPrintsOneJsonDecisionLine() throws Exception {
        Run run = run("eval", "--config", EXAMPLES + "gatehouse.yaml", "--request", RESOURCES + "cli/request.json");
        assertThat(run.exit()).isZero();
        assertThat(run.out().strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("decision").asText()).isEqualTo("allow");
        assertThat(json.get("route").asText()).isEqualTo("payroll");
        assertThat(json.get("rule").asText()).isEqualTo("finance-on-good-devices");
        assertThat(json.get("mode").asText()).isEqualTo("enforce");
        assertThat(json.get("enforced").asBoolean()).isTrue();
        assertThat(json.get("reasons").isArray()).isTrue();
        assertThat(run.out()).startsWith("{\"decision\":\"allow\",\"route\":\"payroll\",\"rule\":\"finance-on-good-devices\",\"mode\":\"enforce\",\"enforced\":true,\"reasons\":[");
    }

    @Test
    void evalWhenNoRouteMatchesThenRouteIsNullAndExitZero(@TempDir Path dir) throws Exception {
        Path request = dir.resolve("r.json");
        Files.writeString(request, "{\"method\":\"GET\",\"url\":\"https://nowhere.example/\",\"source_ip\":\"10.0.0.1\"}");
        Run run = run("eval", "--config", EXAMPLES + "gatehouse.yaml", "--request", request.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("\"decision\":\"deny\",\"route\":null,\"rule\":null");
    }

    @Test
    void evalWhenRequestJsonIsMalformedThenOneLineOnStderrAndExitTwo() {
        Run run = run("eval", "--config", EXAMPLES + "gatehouse.yaml", "--request", RESOURCES + "cli/malformed.json");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).doesNotContain("\n").contains("malformed JSON");
    }

    @Test
    void evalWhenRequestMissesAFieldThenExitTwo(@TempDir Path dir) throws Exception {
        Path request = dir.resolve("r.json");
        Files.writeString(request, "{\"method\":\"GET\",\"source_ip\":\"10.0.0.1\"}");
        Run run = run("eval", "--config", EXAMPLES + "gatehouse.yaml", "--request", request.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("request.url: missing");
    }

    @Test
    void evalWhenConfigIsInvalidThenErrorsOnStderrAndExitOne() {
        Run run = run("eval", "--config", RESOURCES + "load/bad/bad_mode.yaml", "--request", RESOURCES + "cli/request.json");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("routes[0].mode: \"enforcing\" is not one of enforce, audit");
    }
}
