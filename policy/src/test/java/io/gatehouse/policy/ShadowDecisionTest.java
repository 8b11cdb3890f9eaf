package io.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.load.LoadResult;
import io.gatehouse.policy.load.PolicyLoader;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A route's {@code shadow:} policy is decided next to its {@code policy:} and never acts (docs/policy.md). */
class ShadowDecisionTest {
    private static final String YAML = """
            routes:
              - id: payroll
                from: https://payroll.corp.example
                to: http://payroll.internal
                policy:
                  allow:
                    - name: staff
                      domains: [corp.example]
                shadow:
                  allow:
                    - name: finance-only
                      groups: [finance]
              - id: wiki
                from: https://wiki.corp.example
                to: http://wiki.internal
                policy:
                  allow:
                    - name: finance
                      groups: [finance]
                shadow:
                  allow:
                    - name: finance
                      groups: [finance]
                    - name: staff
                      domains: [corp.example]
              - id: beta
                from: https://beta.corp.example
                to: http://beta.internal
                mode: audit
                policy:
                  allow:
                    - name: testers
                      groups: [testers]
                shadow:
                  allow:
                    - name: staff
                      domains: [corp.example]
              - id: closing
                from: https://closing.corp.example
                to: http://closing.internal
                policy:
                  allow:
                    - name: staff
                      domains: [corp.example]
                shadow: {}
              - id: plain
                from: https://plain.corp.example
                to: http://plain.internal
                policy:
                  allow:
                    - name: staff
                      domains: [corp.example]
            """;

    private final CompiledConfig config = load(YAML);

    private static CompiledConfig load(String yaml) {
        LoadResult result = PolicyLoader.load("gatehouse.yaml", yaml);
        assertThat(result.render()).isEmpty();
        return result.config();
    }

    private static Request request(String url, String... groups) {
        return new Request("GET", URI.create(url), "10.0.0.1", Instant.parse("2026-11-23T09:30:00Z"),
                new Identity("u-17", "pat@corp.example", List.of(groups), Map.of(), null), null);
    }

    @Test
    void decideRoutedWhenShadowWouldDenyAnAllowedRequestThenAllowedAndWouldDeny() {
        RoutedDecision routed = config.decideRouted(request("https://payroll.corp.example/slips", "staff"));

        assertThat(routed.decision().outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(routed.decision().rule()).isEqualTo("staff");
        assertThat(routed.shadow()).isNotNull();
        assertThat(routed.shadow().outcome()).isEqualTo(Outcome.DENY);
        assertThat(routed.shadow().rule()).isNull();
        assertThat(routed.shadow().route()).isEqualTo("payroll");
        assertThat(routed.shadow().reasons()).extracting(Reason::text).containsExactly("no allow rule matched",
                "user pat@corp.example is in groups [staff], rule finance-only needs one of [finance]");
        assertThat(routed.disagreement()).isEqualTo(Disagreement.WOULD_DENY);
    }

    @Test
    void decideRoutedWhenShadowWouldAllowADeniedRequestThenDeniedAndWouldAllow() {
        RoutedDecision routed = config.decideRouted(request("https://wiki.corp.example/", "staff"));

        assertThat(routed.decision().outcome()).isEqualTo(Outcome.DENY);
        assertThat(routed.decision().enforced()).isTrue();
        assertThat(routed.shadow().outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(routed.shadow().rule()).isEqualTo("staff");
        assertThat(routed.disagreement()).isEqualTo(Disagreement.WOULD_ALLOW);
    }

    @Test
    void decideRoutedWhenShadowAgreesThenShadowDecidedAndNoDisagreement() {
        RoutedDecision routed = config.decideRouted(request("https://wiki.corp.example/", "finance"));

        assertThat(routed.decision().outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(routed.shadow().outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(routed.disagreement()).isNull();
    }

    @Test
    void decideRoutedWhenAuditRouteDeniesAndShadowAllowsThenWouldAllowAndDenyStillNotEnforced() {
        RoutedDecision routed = config.decideRouted(request("https://beta.corp.example/", "staff"));

        assertThat(routed.decision().outcome()).isEqualTo(Outcome.DENY);
        assertThat(routed.decision().letThrough()).isTrue();
        assertThat(routed.disagreement()).isEqualTo(Disagreement.WOULD_ALLOW);
    }

    @Test
    void decideRoutedWhenShadowIsEmptyThenItWouldDenyEverything() {
        RoutedDecision routed = config.decideRouted(request("https://closing.corp.example/", "staff"));

        assertThat(routed.decision().outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(routed.shadow().reasons()).extracting(Reason::code).containsExactly("no-policy");
        assertThat(routed.disagreement()).isEqualTo(Disagreement.WOULD_DENY);
    }

    @Test
    void decideRoutedWhenRouteHasNoShadowThenNoShadowDecisionAndNoDisagreement() {
        RoutedDecision routed = config.decideRouted(request("https://plain.corp.example/", "staff"));

        assertThat(routed.route().shadow()).isNull();
        assertThat(routed.shadow()).isNull();
        assertThat(routed.disagreement()).isNull();
    }

    @Test
    void decideRoutedWhenNoRouteServesThenNoShadow() {
        RoutedDecision routed = config.decideRouted(request("https://nowhere.corp.example/", "staff"));

        assertThat(routed.route()).isNull();
        assertThat(routed.shadow()).isNull();
    }

    @Test
    void decideWhenRouteHasShadowThenTheEnforcedDecisionIsTheOneWithoutIt() {
        CompiledConfig withoutShadows = load(YAML.replaceAll("(?m)^    shadow:(?: \\{})?\\n(?:      .*\\n)*", ""));
        assertThat(withoutShadows.routes()).allSatisfy(route -> assertThat(route.shadow()).isNull());

        for (String url : List.of("https://payroll.corp.example/", "https://wiki.corp.example/",
                "https://beta.corp.example/", "https://closing.corp.example/", "https://plain.corp.example/")) {
            for (String group : List.of("staff", "finance", "testers")) {
                assertThat(config.decide(request(url, group))).as(url + " " + group)
                        .isEqualTo(withoutShadows.decide(request(url, group)));
            }
        }
    }

    @Test
    void loadWhenShadowHasRulesNamedAsThePolicysThenLoadsEachPolicyKeepsItsOwnNames() {
        assertThat(config.routes().get(1).policy().allow().get(0).name()).isEqualTo("finance");
        assertThat(config.routes().get(1).shadow().allow()).extracting(r -> r.name()).containsExactly("finance", "staff");
    }
}
