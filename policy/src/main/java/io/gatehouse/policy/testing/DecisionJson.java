package io.gatehouse.policy.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.RoutedDecision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision as the CLI prints it (docs/design.md, "The policy CLI"): one JSON object with {@code decision},
 * {@code route}, {@code rule}, {@code mode}, {@code enforced} and {@code reasons} (the reason texts), in that order;
 * for a route with a shadow policy, then {@code shadow}: the shadow's {@code decision}, {@code rule}, {@code reasons}
 * and {@code disagreement} ({@code would-allow}, {@code would-deny}, or null when both decide alike), the shape of
 * the decision log's {@code shadow} member (docs/decision-log.schema.json).
 */
public final class DecisionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionJson() {
    }

    public static String line(Decision d) {
        return write(map(d));
    }

    /** As {@link #line(Decision)}, followed by {@code shadow} when the route has a shadow policy. */
    public static String line(RoutedDecision routed) {
        Map<String, Object> m = map(routed.decision());
        Decision shadow = routed.shadow();
        if (shadow != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("decision", shadow.outcome().wireName());
            s.put("rule", shadow.rule());
            s.put("reasons", shadow.reasons().stream().map(Reason::text).toList());
            s.put("disagreement", routed.disagreement() == null ? null : routed.disagreement().wireName());
            m.put("shadow", s);
        }
        return write(m);
    }

    private static Map<String, Object> map(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", d.outcome().wireName());
        m.put("route", d.route());
        m.put("rule", d.rule());
        m.put("mode", d.mode().wireName());
        m.put("enforced", d.enforced());
        m.put("reasons", d.reasons().stream().map(Reason::text).toList());
        return m;
    }

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of texts always serialises", e);
        }
    }
}
