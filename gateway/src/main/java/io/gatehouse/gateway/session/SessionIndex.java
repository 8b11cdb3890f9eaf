package io.gatehouse.gateway.session;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
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
 * an already ended session is harmless.
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

    /** The single-replica index. */
    final class InMemory implements SessionIndex {
        private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();
        /** Claimed keys, each kept for its own ttl. */
        private final Map<String, Duration> claimed = Caffeine.newBuilder()
                .expireAfter(Expiry.<String, Duration>creating((key, ttl) -> ttl))
                .<String, Duration>build().asMap();

        @Override
        public Mono<Void> add(String key, String sessionId, Duration ttl) {
            return Mono.fromRunnable(() -> ids.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(sessionId));
        }

        @Override
        public Flux<String> take(String key) {
            return Flux.defer(() -> {
                Set<String> taken = ids.remove(key);
                return taken == null ? Flux.empty() : Flux.fromIterable(taken);
            });
        }

        @Override
        public Mono<Boolean> claim(String key, Duration ttl) {
            return Mono.fromSupplier(() -> claimed.putIfAbsent(key, ttl) == null);
        }
    }
}
