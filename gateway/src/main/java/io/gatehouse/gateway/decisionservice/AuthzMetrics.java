package io.gatehouse.gateway.decisionservice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decision service's meters (docs/operations.md, "Decision service"), shared by its listeners:
 * {@code gatehouse_authz_checks_total{dialect,outcome}} (outcome: allow, login, rejected, unauthenticated, step-up,
 * denied, no-route, unavailable, facts-invalid, error), {@code gatehouse_authz_check_seconds{dialect}} and
 * {@code gatehouse_authz_untrusted_callers_total{listener}} (listener: http, grpc). Dialects, outcomes and
 * listeners are fixed sets, so the series are bounded.
 */
public final class AuthzMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> checks = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> untrusted = new ConcurrentHashMap<>();

    public AuthzMetrics(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Counts and times one check. */
    public void checked(String dialect, String outcome, Duration took) {
        checks.computeIfAbsent(dialect + '|' + outcome, k -> Counter.builder("gatehouse.authz.checks")
                .description("decision-service checks by dialect and outcome")
                .tag("dialect", dialect).tag("outcome", outcome).register(meters)).increment();
        timers.computeIfAbsent(dialect, k -> Timer.builder("gatehouse.authz.check")
                .description("time to answer a decision-service check, by dialect")
                .tag("dialect", dialect).register(meters)).record(took);
    }

    /** Counts a caller refused before anything it sent was read. */
    public void untrusted(String listener) {
        untrusted.computeIfAbsent(listener, k -> Counter.builder("gatehouse.authz.untrusted.callers")
                .description("connections or calls to the decision service from callers it does not trust")
                .tag("listener", listener).register(meters)).increment();
    }
}
