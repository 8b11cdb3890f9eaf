package io.gatehouse.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules and the dashboard of {@code k8s/observability}, rendered with kustomize: the rules load in
 * Prometheus ({@code promtool check rules}) and fire exactly as the unit tests in
 * {@code src/test/resources/observability/gatehouse-rules-test.yaml} say ({@code promtool test rules}); every query
 * of the dashboard is valid PromQL.
 */
class PrometheusRulesTest {

    private static final String TESTS = "/observability/gatehouse-rules-test.yaml";

    private final List<HasMetadata> objects = Kustomize.render("observability");

    @Test
    void rulesWhenRenderedThenPromtoolLoadsThemAndTheirUnitTestsPass(@TempDir Path dir) {
        Promtool.writeRuleFile(Promtool.groups(objects, "gatehouse"), dir.resolve("rules.yaml"));
        Promtool.copyResource(TESTS, dir);

        Promtool.Result check = Promtool.run(dir, "check", "rules", "rules.yaml");
        Promtool.Result test = Promtool.run(dir, "test", "rules", "gatehouse-rules-test.yaml");

        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    void rulesWhenEveryAlertOfTheIssueIsThereThenEachHasSeverityAndRunbook() {
        Map<String, Map<String, Object>> alerts = alerts(Promtool.groups(objects, "gatehouse"));

        assertThat(alerts).containsKeys("GatehousePostureSourceUnreachable", "GatehouseConfigReloadFailing",
                "GatehouseDecisionLogSinkDown", "GatehouseDecisionLogDropping", "GatehouseDecisionLogQueueFilling",
                "GatehouseSigningKeyNearRetirement", "GatehouseErrorBudgetFastBurn", "GatehouseErrorBudgetSlowBurn",
                "GatehouseLatencySLO");
        alerts.forEach((name, rule) -> {
            assertThat(rule.get("labels")).as(name).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKey("severity");
            assertThat(rule.get("annotations")).as(name).asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsKeys("summary", "runbook");
        });
    }

    /** The harness itself: a rule whose threshold no longer matches its unit test makes the run fail, naming it. */
    @Test
    @SuppressWarnings("unchecked")
    void rulesWhenAnAlertIsBrokenThenPromtoolTestFailsNamingIt(@TempDir Path dir) {
        List<Map<String, Object>> groups = Promtool.groups(objects, "gatehouse");
        Map<String, Object> sinkDown = alerts(groups).get("GatehouseDecisionLogSinkDown");
        sinkDown.put("expr", "max by (namespace, pod) (gatehouse_decision_log_sink_up) == 2");
        Promtool.writeRuleFile(groups, dir.resolve("rules.yaml"));
        Promtool.copyResource(TESTS, dir);

        Promtool.Result test = Promtool.run(dir, "test", "rules", "gatehouse-rules-test.yaml");

        assertThat(test.exit()).as(test.output()).isNotZero();
        assertThat(test.output()).contains("FAILED", "GatehouseDecisionLogSinkDown");
    }

    /**
     * Every dashboard query parses as PromQL (each becomes a recording rule for {@code promtool check rules}, with
     * Grafana's variables filled in), and the panels the operators asked for are there.
     */
    @Test
    @SuppressWarnings("unchecked")
    void dashboardWhenRenderedThenEveryQueryIsValidPromqlAndThePanelsAreThere(@TempDir Path dir) throws IOException {
        ConfigMap dashboard = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(c -> "gatehouse-dashboard".equals(c.getMetadata().getName())).findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        Map<String, Object> json = new Yaml().load(dashboard.getData().get("gatehouse-dashboard.json"));
        List<Map<String, Object>> panels = (List<Map<String, Object>>) json.get("panels");

        List<Map<String, Object>> rules = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            List<Map<String, Object>> targets = (List<Map<String, Object>>) panel.get("targets");
            assertThat(targets).as("targets of " + panel.get("title")).isNotEmpty();
            for (Map<String, Object> target : targets) {
                String expr = ((String) target.get("expr"))
                        .replace("$__rate_interval", "5m").replace("$namespace", "gatehouse");
                exprs.add(expr);
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("record", "dashboard:panel" + rules.size());
                rule.put("expr", expr);
                rules.add(rule);
            }
        }
        Promtool.writeRuleFile(List.of(Map.of("name", "dashboard", "rules", rules)), dir.resolve("dashboard.yaml"));
        Promtool.Result check = Promtool.run(dir, "check", "rules", "dashboard.yaml");

        assertThat(check.exit()).as(check.output() + Files.readString(dir.resolve("dashboard.yaml"))).isZero();
        assertThat(String.join("\n", exprs)).contains("sum by (status) (rate(gatehouse_requests_seconds_count",
                "sum by (route) (rate(gatehouse_requests_seconds_count", "histogram_quantile(0.5,",
                "histogram_quantile(0.99,", "gatehouse_decisions_total", "gatehouse_posture_lookups_total",
                "gatehouse_decision_log_dropped_total", "gatehouse_config_reloads_total",
                "gatehouse_config_reload_failures_total");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> alerts(List<Map<String, Object>> groups) {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : groups) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    alerts.put((String) rule.get("alert"), rule);
                }
            }
        }
        return alerts;
    }
}
