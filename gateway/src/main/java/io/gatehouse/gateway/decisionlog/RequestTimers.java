package io.gatehouse.gateway.decisionlog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code gatehouse_requests_seconds{route,status}}: how long the gateway took from a request's arrival to its
 * response's commit, per route and status. One timer per pair, made once; the route set is the config's and the
 * statuses are few, so the series stay bounded.
 */
final class RequestTimers {

    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RequestTimers(MeterRegistry meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    void record(@Nullable String route, int status, long nanos) {
        String routeTag = route == null ? "none" : route;
        timers.computeIfAbsent(routeTag + ' ' + status, key -> Timer.builder("gatehouse.requests")
                .description("requests by route and status, from arrival to the response's commit")
                .tag("route", routeTag)
                .tag("status", Integer.toString(status))
                .register(meters)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
