package io.gatehouse.gateway.longlived;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of continuous authorization: {@code gatehouse_long_lived_redecisions_total{route,trigger,outcome}}
 * (outcome {@code allow}, {@code audit-deny}, {@code cut}, {@code store-unavailable}) and
 * {@code gatehouse_long_lived_cuts_total{route,reason}}. Route ids come from the config and triggers and reasons
 * are fixed sets, so the series stay few.
 */
final class LongLivedMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    LongLivedMetrics(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    void redecided(LongLivedConnection connection, Trigger trigger, String outcome) {
        String route = connection.routeId();
        counters.computeIfAbsent("r|" + route + '|' + trigger + '|' + outcome, key ->
                Counter.builder("gatehouse.long.lived.redecisions")
                        .description("re-decisions of long-lived connections by route, trigger and outcome")
                        .tag("route", route).tag("trigger", trigger.wireName()).tag("outcome", outcome)
                        .register(meters)).increment();
    }

    void cut(LongLivedConnection connection, String reason) {
        String route = connection.routeId();
        counters.computeIfAbsent("c|" + route + '|' + reason, key -> Counter.builder("gatehouse.long.lived.cuts")
                .description("long-lived connections cut because the policy no longer allowed them, by reason")
                .tag("route", route).tag("reason", reason).register(meters)).increment();
    }
}
