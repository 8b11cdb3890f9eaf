package io.gatehouse.gateway.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.springframework.session.Session;

/**
 * The in-memory session map behind Spring Session's {@code ReactiveMapSessionRepository}, bounded (issue 16,
 * item 1): a Caffeine cache whose entries expire when their session does (last access + max inactive interval, so an
 * abandoned session leaves memory on its own instead of waiting for a read that never comes) and that holds at most
 * {@code maxSize} sessions, evicting by Caffeine's size policy when full. Every eviction for size counts in
 * {@code gatehouse_sessions_evicted_total{store}}; the number held is the gauge {@code gatehouse_sessions_stored{store}}.
 */
final class BoundedSessionMap {

    private BoundedSessionMap() {
    }

    static Map<String, Session> create(String store, long maxSize, Clock clock, MeterRegistry meters) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Counter evicted = Counter.builder("gatehouse.sessions.evicted")
                .description("sessions dropped from memory because the store was full")
                .tag("store", store).register(meters);
        Cache<String, Session> cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(new UntilSessionExpires(clock))
                .evictionListener((String id, Session session, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evicted.increment();
                    }
                })
                .build();
        Gauge.builder("gatehouse.sessions.stored", cache, c -> {
                    c.cleanUp();
                    return c.estimatedSize();
                })
                .description("sessions held in memory").tag("store", store).strongReference(true).register(meters);
        return cache.asMap();
    }

    /** A session's entry lives until the session expires: last access + max inactive interval (never = no expiry). */
    private record UntilSessionExpires(Clock clock) implements Expiry<String, Session> {

        @Override
        public long expireAfterCreate(String id, Session session, long currentTime) {
            return remaining(session);
        }

        @Override
        public long expireAfterUpdate(String id, Session session, long currentTime, long currentDuration) {
            return remaining(session);
        }

        @Override
        public long expireAfterRead(String id, Session session, long currentTime, long currentDuration) {
            return currentDuration;
        }

        private long remaining(Session session) {
            Duration max = session.getMaxInactiveInterval();
            if (max.isNegative()) {
                return Long.MAX_VALUE;
            }
            Instant end = session.getLastAccessedTime().plus(max);
            Duration left = Duration.between(clock.instant(), end);
            return left.isNegative() ? 0 : left.toNanos();
        }
    }
}
