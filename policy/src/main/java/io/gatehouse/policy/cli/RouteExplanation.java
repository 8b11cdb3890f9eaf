package io.gatehouse.policy.cli;

import io.gatehouse.policy.Mode;
import io.gatehouse.policy.criteria.AllCriterion;
import io.gatehouse.policy.criteria.Criterion;
import io.gatehouse.policy.criteria.PublicCriterion;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.model.Rule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who can reach one route, for an access review ({@code gatehouse-policy explain}, docs/policy.md, "Explaining a
 * route"): the route's place and mode, then its deny rules and allow rules in the order they are checked, each with
 * its conditions as plain clauses ({@link Criterion#describe()}) and its remedy. Rendered as sentences
 * ({@link #text()}) or as a JSON-ready map ({@link #json()}); both come from the same rules, never from the YAML.
 */
record RouteExplanation(Route route) {

    /** One rule as the review reads it: its name, each condition (all must hold) and its remedy. */
    record RuleView(String name, List<String> conditions, boolean isPublic, @Nullable String remedy) {
        static RuleView of(Rule rule) {
            List<Criterion> parts = rule.body() instanceof AllCriterion all ? all.parts() : List.of(rule.body());
            boolean isPublic = parts.stream().anyMatch(PublicCriterion.class::isInstance) && parts.size() == 1;
            return new RuleView(rule.name(), parts.stream().map(Criterion::describe).toList(), isPublic,
                    rule.remedy());
        }
    }

    List<RuleView> deny() {
        return route.policy().deny().stream().map(RuleView::of).toList();
    }

    List<RuleView> allow() {
        return route.policy().allow().stream().map(RuleView::of).toList();
    }

    boolean isPublic() {
        return allow().stream().anyMatch(RuleView::isPublic);
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append("Route ").append(route.id()).append(" serves ").append(route.from()).append(" and forwards to ")
                .append(route.to()).append(" (assertion audience ").append(route.audience()).append(").\n");
        out.append(route.mode() == Mode.AUDIT
                ? "Mode audit: requests the policy denies are NOT refused; they are let through and logged as denies.\n"
                : "Mode enforce: requests the policy denies are refused.\n");
        if (route.policy().isEmpty()) {
            out.append("The route has no policy: it refuses every request.\n");
            return out.toString();
        }
        if (isPublic()) {
            out.append("The route is public: rule ").append(allow().stream().filter(RuleView::isPublic)
                    .findFirst().orElseThrow().name()).append(" lets anyone through without a login")
                    .append(deny().isEmpty() ? "" : ", unless a deny rule below refuses the request").append(".\n");
        }
        out.append("Deny rules are checked first: the first that matches refuses the request. Then the allow rules, "
                + "in order: the first that matches lets it through. A request no allow rule matches is refused.\n");
        appendRules(out, "Refused", "refuses a request", deny());
        appendRules(out, "Allowed", "lets a request through", allow());
        out.append(allow().isEmpty() ? "No allow rule: every request is refused.\n" : "Everyone else is refused.\n");
        return out.toString();
    }

    private static void appendRules(StringBuilder out, String heading, String verb, List<RuleView> rules) {
        if (rules.isEmpty()) {
            return;
        }
        out.append('\n').append(heading).append(" (").append(heading.equals("Refused") ? "deny" : "allow")
                .append(" rules, in order):\n");
        for (int i = 0; i < rules.size(); i++) {
            RuleView rule = rules.get(i);
            out.append("  ").append(i + 1).append(". Rule ").append(rule.name()).append(' ').append(verb);
            if (rule.conditions().size() == 1) {
                out.append(" when ").append(rule.conditions().get(0)).append(".\n");
            } else {
                out.append(" when all of these hold:\n");
                rule.conditions().forEach(c -> out.append("       - ").append(c).append('\n'));
            }
            if (rule.remedy() != null) {
                out.append("     Remedy shown to a refused caller: ").append(rule.remedy()).append('\n');
            }
        }
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", route.id());
        m.put("from", route.from().toString());
        m.put("to", route.to().toString());
        m.put("audience", route.audience());
        m.put("mode", route.mode().wireName());
        m.put("public", isPublic());
        m.put("deny", deny().stream().map(RouteExplanation::ruleJson).toList());
        m.put("allow", allow().stream().map(RouteExplanation::ruleJson).toList());
        m.put("otherwise", "deny");
        return m;
    }

    private static Map<String, Object> ruleJson(RuleView rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", rule.name());
        m.put("conditions", rule.conditions());
        m.put("remedy", rule.remedy());
        return m;
    }
}
