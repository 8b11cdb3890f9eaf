package io.gatehouse.policy.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decision as the CLI prints it (docs/design.md, "The policy CLI"): one JSON object with {@code decision},
 * {@code route}, {@code rule}, {@code mode}, {@code enforced} and {@code reasons} (the reason texts), in that order, then {@code remedies} when a refusing rule
 * has one.
 */
public final class DecisionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionJson() {
    }

    public static String line(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decision", d.outcome().wireName());
        m.put("route", d.route());
        m.put("rule", d.rule());
        m.put("mode", d.mode().wireName());
        m.put("enforced", d.enforced());
        m.put("reasons", d.reasons().stream().map(Reason::text).toList());
        if (!d.remedies().isEmpty()) {
            m.put("remedies", d.remedies());
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of texts always serialises", e);
        }
    }
}
