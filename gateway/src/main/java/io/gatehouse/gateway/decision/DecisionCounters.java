package io.gatehouse.gateway.decision;

import io.gatehouse.policy.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/**
 * {@code gatehouse_decisions_total{route,outcome,enforced}}, counted by DECIDE on the public listener and by the
 * decision service alike. Route ids come from the config, so the set of series stays small.
 */
public final class DecisionCounters {

    private DecisionCounters() {
    }

    /** Counts one decision, keeping the counter in {@code counters} (the caller's map) for the next one. */
    public static void count(Map<String, Counter> counters, MeterRegistry meters, Decision decision) {
        String route = decision.route() == null ? "none" : decision.route();
        String key = route + '|' + decision.outcome().wireName() + '|' + decision.enforced();
        counters.computeIfAbsent(key, k -> Counter.builder("gatehouse.decisions")
                .description("policy decisions by route and outcome")
                .tag("route", route)
                .tag("outcome", decision.outcome().wireName())
                .tag("enforced", Boolean.toString(decision.enforced()))
                .register(meters)).increment();
    }
}
