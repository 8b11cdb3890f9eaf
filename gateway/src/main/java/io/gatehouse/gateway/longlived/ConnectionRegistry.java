package io.gatehouse.gateway.longlived;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every open long-lived connection of this replica (docs/design.md, "Long-lived connections"), by request id.
 * Bounded by {@code gatehouse.long-lived.max-connections}: at the limit {@link #open} refuses (the caller refuses the
 * upgrade) and counts it in {@code gatehouse_long_lived_rejected_total{kind}}. Nothing is ever evicted: an evicted
 * live connection would go on unwatched, a standing pass — so this is a plain bounded map, not a cache. Entries
 * leave when their connection ends ({@link #closed}). Open connections are counted per route and kind in the gauge
 * {@code gatehouse_long_lived_connections{route,kind}}.
 *
 * <p>Lookups by session or device scan the map: at the default bound of 10 000 entries a scan takes well under a
 * millisecond, and a push (logout, posture change) is rare next to the requests the gateway serves.
 */
final class ConnectionRegistry {

    private final Map<String, LongLivedConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int max;
    private final MeterRegistry meters;
    /** Open connections per route and kind; route ids come from the config, so the set stays small. */
    private final Map<String, AtomicInteger> gauges = new ConcurrentHashMap<>();
    private final Map<LongLivedConnection.Kind, Counter> rejected = new ConcurrentHashMap<>();

    ConnectionRegistry(int max, MeterRegistry meters) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, not " + max);
        }
        this.max = max;
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Tracks {@code connection}; false (and counted) when {@code max} are open already. */
    boolean open(LongLivedConnection connection) {
        if (size.incrementAndGet() > max) {
            size.decrementAndGet();
            rejected.computeIfAbsent(connection.kind(), kind -> Counter.builder("gatehouse.long.lived.rejected")
                    .description("long-lived connections refused because gatehouse.long-lived.max-connections were open")
                    .tag("kind", kind.wireName()).register(meters)).increment();
            return false;
        }
        if (open.putIfAbsent(connection.requestId(), connection) != null) {
            size.decrementAndGet();
            throw new IllegalStateException("connection " + connection.requestId() + " is registered twice");
        }
        gauge(connection).incrementAndGet();
        return true;
    }

    /** Forgets {@code connection} (it ended); a second call does nothing. */
    void closed(LongLivedConnection connection) {
        if (open.remove(connection.requestId(), connection)) {
            size.decrementAndGet();
            gauge(connection).decrementAndGet();
        }
    }

    int size() {
        return size.get();
    }

    Collection<LongLivedConnection> all() {
        return open.values();
    }

    List<LongLivedConnection> due(Instant now) {
        return open.values().stream().filter(c -> c.due(now)).toList();
    }

    List<LongLivedConnection> withSession(String sessionIdHash) {
        return open.values().stream().filter(c -> sessionIdHash.equals(c.credential().sessionIdHash())).toList();
    }

    List<LongLivedConnection> withDevice(String sha256) {
        return open.values().stream().filter(c -> sha256.equals(c.deviceSha256())).toList();
    }

    private AtomicInteger gauge(LongLivedConnection connection) {
        String route = connection.routeId();
        String kind = connection.kind().wireName();
        return gauges.computeIfAbsent(route + '|' + kind, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("gatehouse.long.lived.connections", value, AtomicInteger::get)
                    .description("open long-lived connections (WebSocket, stream) re-decided by the gateway")
                    .tag("route", route).tag("kind", kind).register(meters);
            return value;
        });
    }
}
