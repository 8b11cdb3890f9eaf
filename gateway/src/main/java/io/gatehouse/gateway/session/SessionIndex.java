package io.gatehouse.gateway.session;

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

    static String sid(String sid) {
        return "sid:" + sid;
    }

    static String sub(String sub) {
        return "sub:" + sub;
    }

    /** The single-replica index. */
    final class InMemory implements SessionIndex {
        private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();

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
    }
}
