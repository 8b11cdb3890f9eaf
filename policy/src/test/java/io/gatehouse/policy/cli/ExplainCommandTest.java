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

/** {@code gatehouse-policy explain}: who can reach a route, in sentences and in JSON, and its errors. */
class ExplainCommandTest {
    private static final String CONFIG = "src/test/resources/cli/explain.yaml";

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
    void explainWhenRouteHasRulesThenSaysInOrderWhoOnWhichDevicesAndWhen() {
        Run run = run("explain", "--config", CONFIG, "--route", "payroll");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                Route payroll serves https://payroll.corp.example and forwards to http://payroll.internal:8080 \
                (assertion audience payroll).
                Mode enforce: requests the policy denies are refused.
                Deny rules are checked first: the first that matches refuses the request. Then the allow rules, \
                in order: the first that matches lets it through. A request no allow rule matches is refused.

                Refused (deny rules, in order):
                  1. Rule admin-only-from-office refuses a request when all of these hold:
                       - the path matches one of /admin/** (ignoring letter case)
                       - NOT (the source IP is in one of 10.20.0.0/16)

                Allowed (allow rules, in order):
                  1. Rule finance-on-managed-laptops lets a request through when all of these hold:
                       - the user is in one of the groups finance
                       - the method is one of GET, POST
                       - the user signed in at most 15m ago
                       - the device is managed and the device's trust is at least high and the device runs one of macOS
                     Remedy shown to a refused caller: enrol your laptop at https://mdm.corp.example/enrol
                  2. Rule payroll-admins lets a request through when all of these hold:
                       - the user's email is one of pat@corp.example
                       - the source IP is in one of 10.20.0.0/16
                Everyone else is refused.
                """);
    }

    @Test
    void explainWhenRouteIsPublicInAuditModeThenSaysBoth() {
        Run run = run("explain", "--config", CONFIG, "--route", "status");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("Mode audit: requests the policy denies are NOT refused")
                .contains("The route is public: rule anyone lets anyone through without a login.")
                .contains("1. Rule anyone lets a request through when anyone, signed in or not");
    }

    @Test
    void explainWhenRouteHasNoPolicyThenSaysItRefusesEveryRequest() {
        Run run = run("explain", "--config", CONFIG, "--route", "unfinished");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).endsWith("Mode enforce: requests the policy denies are refused.\n"
                + "The route has no policy: it refuses every request.\n");
    }

    @Test
    void explainWhenFormatJsonThenRulesWithConditionsAndRemedy() throws Exception {
        Run run = run("explain", "--config", CONFIG, "--route", "payroll", "--format", "json");

        assertThat(run.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("route").asText()).isEqualTo("payroll");
        assertThat(json.path("mode").asText()).isEqualTo("enforce");
        assertThat(json.path("public").asBoolean()).isFalse();
        assertThat(json.path("deny").get(0).path("name").asText()).isEqualTo("admin-only-from-office");
        assertThat(json.path("allow").get(0).path("conditions").get(0).asText())
                .isEqualTo("the user is in one of the groups finance");
        assertThat(json.path("allow").get(0).path("remedy").asText()).contains("https://mdm.corp.example/enrol");
        assertThat(json.path("allow").get(1).path("remedy").isNull()).isTrue();
        assertThat(json.path("otherwise").asText()).isEqualTo("deny");
    }

    @Test
    void explainWhenRouteIsUnknownThenListsTheKnownIdsAndExitsTwo() {
        Run run = run("explain", "--config", CONFIG, "--route", "payrol");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("no route with id \"payrol\"; the routes are: payroll, status, unfinished");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void explainWhenConfigIsInvalidThenPrintsFileLineColumnErrorsAndExitsOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                routes:
                  - id: payroll
                    from: https://payroll.corp.example
                    to: http://payroll.internal
                    policy:
                      allow:
                        - name: staff
                          remedy: [enrol, it]
                          device: {trust: hgh}
                """);

        Run run = run("explain", "--config", bad.toString(), "--route", "payroll");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith(bad + ":8:19: routes[0].policy.allow[0].remedy: expected a text, found a list")
                .contains(bad + ":9:27: routes[0].policy.allow[0].device.trust: \"hgh\" is not one of");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void explainWhenEveryExampleRouteThenExitZeroAndNoBlankCondition() {
        for (String route : new String[] {"payroll", "payroll-api", "wiki", "trading", "reports", "beta", "status"}) {
            Run run = run("explain", "--config", "../examples/policies/gatehouse.yaml", "--route", route);
            assertThat(run.exit()).as(route).isZero();
            assertThat(run.out()).as(route).doesNotContain("- \n").doesNotContain("when .");
        }
    }
}
