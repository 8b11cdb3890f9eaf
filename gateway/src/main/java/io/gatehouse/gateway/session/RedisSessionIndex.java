package io.gatehouse.gateway.session;

import java.time.Duration;
import java.util.Objects;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link SessionIndex} as Redis sets {@code gatehouse:index:<key>}, expiring with the longest session in them; a claim
 * is {@code SET gatehouse:claim:<key> 1 NX EX ttl}, atomic in Redis.
 */
public final class RedisSessionIndex implements SessionIndex {

    private static final String PREFIX = "gatehouse:index:";
    private static final String CLAIM_PREFIX = "gatehouse:claim:";
    private final ReactiveStringRedisTemplate redis;

    public RedisSessionIndex(ReactiveStringRedisTemplate redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public Mono<Void> add(String key, String sessionId, Duration ttl) {
        return redis.opsForSet().add(PREFIX + key, sessionId).then(redis.expire(PREFIX + key, ttl)).then();
    }

    @Override
    public Flux<String> take(String key) {
        return redis.opsForSet().members(PREFIX + key).collectList()
                .flatMapMany(ids -> redis.delete(PREFIX + key).thenMany(Flux.fromIterable(ids)));
    }

    @Override
    public Mono<Boolean> claim(String key, Duration ttl) {
        return redis.opsForValue().setIfAbsent(CLAIM_PREFIX + key, "1", ttl).defaultIfEmpty(false);
    }
}
