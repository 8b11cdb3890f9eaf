package io.gatehouse.gateway.longlived;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.long-lived.*}: continuous authorization of long-lived connections (docs/configuration.md,
 * "Long-lived connections").
 * <ul>
 *   <li>{@code redecide-interval} (default 60 s, at least 1 s): how often an open connection is re-decided, ±10 %
 *       jitter so that connections opened together do not all ask at once;</li>
 *   <li>{@code route-intervals} (route id → interval, at least 1 s): a route's own interval instead;</li>
 *   <li>{@code max-connections} (default 10 000): long-lived connections tracked at most; beyond it a WebSocket
 *       upgrade is refused 503 {@code long-lived-limit} (never let through untracked);</li>
 *   <li>{@code close-timeout} (default 5 s): after the close frame, how long the client has to answer it before the
 *       connection is dropped;</li>
 *   <li>{@code max-concurrent-redecisions} (default 64): re-decisions in flight at once; the rest wait their turn;</li>
 *   <li>{@code log-allowed-redecisions} (default false): also log the interval re-decisions that allow (cuts, and
 *       re-decisions caused by a reload, a posture change or a session event, are always logged);</li>
 *   <li>{@code stream-after} (default 30 s): a response body other than {@code text/event-stream} still being
 *       written this long after its first write (a long download) is tracked and re-decided from then on.</li>
 * </ul>
 */
@ConfigurationProperties("gatehouse.long-lived")
public record LongLivedProperties(
        @Nullable Duration redecideInterval,
        @Nullable Map<String, Duration> routeIntervals,
        @Nullable Integer maxConnections,
        @Nullable Duration closeTimeout,
        @Nullable Integer maxConcurrentRedecisions,
        @Nullable Boolean logAllowedRedecisions,
        @Nullable Duration streamAfter) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    public LongLivedProperties {
        redecideInterval = redecideInterval == null ? DEFAULT_INTERVAL : redecideInterval;
        routeIntervals = routeIntervals == null ? Map.of() : Map.copyOf(routeIntervals);
        maxConnections = maxConnections == null ? 10_000 : maxConnections;
        closeTimeout = closeTimeout == null ? Duration.ofSeconds(5) : closeTimeout;
        maxConcurrentRedecisions = maxConcurrentRedecisions == null ? 64 : maxConcurrentRedecisions;
        logAllowedRedecisions = logAllowedRedecisions != null && logAllowedRedecisions;
        streamAfter = streamAfter == null ? Duration.ofSeconds(30) : streamAfter;
        if (streamAfter.isNegative() || streamAfter.isZero()) {
            throw new IllegalArgumentException("gatehouse.long-lived.stream-after must be positive, not " + streamAfter);
        }
        atLeast("redecide-interval", redecideInterval);
        routeIntervals.forEach((route, interval) -> atLeast("route-intervals." + route, interval));
        if (maxConnections < 1) {
            throw new IllegalArgumentException("gatehouse.long-lived.max-connections must be at least 1, not "
                    + maxConnections);
        }
        if (maxConcurrentRedecisions < 1) {
            throw new IllegalArgumentException("gatehouse.long-lived.max-concurrent-redecisions must be at least 1,"
                    + " not " + maxConcurrentRedecisions);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("gatehouse.long-lived.close-timeout must be positive, not "
                    + closeTimeout);
        }
    }

    /** The interval for connections of this route: its own, else the default. */
    public Duration intervalFor(@Nullable String routeId) {
        Duration own = routeId == null ? null : routeIntervals.get(routeId);
        return own != null ? own : redecideInterval;
    }

    private static void atLeast(String name, @Nullable Duration value) {
        if (value == null || value.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("gatehouse.long-lived." + name + " must be at least 1s, not " + value);
        }
    }
}
