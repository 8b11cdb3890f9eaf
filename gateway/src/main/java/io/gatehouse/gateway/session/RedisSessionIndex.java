package io.gatehouse.gateway.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link SessionIndex} as Redis sets {@code gatehouse:index:<key>}, expiring with the longest session in them (one
 * script: {@code SADD} and {@code EXPIRE} together, so no set is ever left without a TTL); a claim is
 * {@code SET gatehouse:claim:<key> 1 NX PX ttl}, atomic in Redis, and gone when its ttl ends.
 */
public final class RedisSessionIndex implements SessionIndex {

    private static final String PREFIX = "gatehouse:index:";
    private static final String CLAIM_PREFIX = "gatehouse:claim:";
    /** Adds the member and makes the set live at least {@code ARGV[2]} ms from now, atomically. */
    private static final RedisScript<Long> ADD = RedisScript.of("""
            redis.call('SADD', KEYS[1], ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 1
            """, Long.class);
    private final ReactiveStringRedisTemplate redis;

    public RedisSessionIndex(ReactiveStringRedisTemplate redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public Mono<Void> add(String key, String sessionId, Duration ttl) {
        return redis.execute(ADD, List.of(PREFIX + key), List.of(sessionId, Long.toString(Math.max(1, ttl.toMillis()))))
                .then();
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
