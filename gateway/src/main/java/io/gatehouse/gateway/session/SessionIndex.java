package io.gatehouse.gateway.session;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Which sessions belong to an IdP session ({@code sid}) or a user ({@code sub}), for back-channel logout. In memory
 * for one replica; in Redis ({@link RedisSessionIndex}) when replicas share sessions, so a logout received by one
 * replica ends the sessions every replica serves. Entries of ended sessions may linger until they expire; deleting
 * an already ended session is harmless. Every key expires ({@code ttl}); a claim is also how a back-channel logout
 * token's {@code jti} is remembered until the token expires, so a replay is refused on every replica.
 */
public interface SessionIndex {

    Mono<Void> add(String key, String sessionId, Duration ttl);

    /** Emits the session ids under {@code key} and forgets them. */
    Flux<String> take(String key);

    /**
     * True for the first claim of {@code key}, false for every later one while it lasts ({@code ttl}): one atomic
     * step, so of two concurrent claims exactly one wins, on every replica that shares the index.
     */
    Mono<Boolean> claim(String key, Duration ttl);

    static String sid(String sid) {
        return "sid:" + sid;
    }

    static String sub(String sub) {
        return "sub:" + sub;
    }

    /** The claim key of a single-use value (a login attempt under its OIDC state). */
    static String taken(String id) {
        return "taken:" + id;
    }

    /**
     * The single-replica index, bounded: each key lives for its own ttl (a set of session ids for the ttl of its
     * latest add, a claim for its ttl) and at most {@code maxEntries} keys of each kind are held, the cache evicting by
     * size when full (counted in {@code gatehouse_sessions_evicted_total{store="index"|"claims"}}).
     */
    final class InMemory implements SessionIndex {
        private final Map<String, Entry> ids;
        /** Claimed keys, each kept for its own ttl. */
        private final Map<String, Duration> claimed;

        private record Entry(Set<String> ids, Duration ttl) {
        }

        /** Defaults: 100 000 keys of each kind, counted in the global registry. */
        public InMemory() {
            this(100_000, io.micrometer.core.instrument.Metrics.globalRegistry);
        }

        public InMemory(long maxEntries, MeterRegistry meters) {
            Counter evictedIds = evictions("index", meters);
            Counter evictedClaims = evictions("claims", meters);
            this.ids = Caffeine.newBuilder().maximumSize(maxEntries)
                    .expireAfter(Expiry.<String, Entry>writing((key, entry) -> entry.ttl()))
                    .evictionListener((String key, Entry entry, RemovalCause cause) -> count(cause, evictedIds))
                    .<String, Entry>build().asMap();
            this.claimed = Caffeine.newBuilder().maximumSize(maxEntries)
                    .expireAfter(Expiry.<String, Duration>creating((key, ttl) -> ttl))
                    .evictionListener((String key, Duration ttl, RemovalCause cause) -> count(cause, evictedClaims))
                    .<String, Duration>build().asMap();
        }

        private static Counter evictions(String store, MeterRegistry meters) {
            return Counter.builder("gatehouse.sessions.evicted")
                    .description("sessions dropped from memory because the store was full")
                    .tag("store", store).register(meters);
        }

        private static void count(RemovalCause cause, Counter counter) {
            if (cause == RemovalCause.SIZE) {
                counter.increment();
            }
        }

        @Override
        public Mono<Void> add(String key, String sessionId, Duration ttl) {
            // A new entry each time (copy-on-write): the write renews the key's lifetime to this session's ttl.
            return Mono.fromRunnable(() -> ids.compute(key, (k, old) -> {
                Set<String> next = ConcurrentHashMap.newKeySet();
                if (old != null) {
                    next.addAll(old.ids());
                }
                next.add(sessionId);
                return new Entry(next, old == null || old.ttl().compareTo(ttl) < 0 ? ttl : old.ttl());
            }));
        }

        @Override
        public Flux<String> take(String key) {
            return Flux.defer(() -> {
                Entry taken = ids.remove(key);
                return taken == null ? Flux.empty() : Flux.fromIterable(taken.ids());
            });
        }

        @Override
        public Mono<Boolean> claim(String key, Duration ttl) {
            return Mono.fromSupplier(() -> claimed.putIfAbsent(key, ttl) == null);
        }
    }
}
