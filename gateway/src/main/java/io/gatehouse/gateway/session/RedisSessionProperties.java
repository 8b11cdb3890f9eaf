package io.gatehouse.gateway.session;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.sessions.redis.*}: how the gateway's Redis client fails fast (issue 18, item 1), on top of
 * Boot's {@code spring.data.redis.*}. {@code request-queue} (default 1 000) bounds the commands waiting for Redis on
 * one connection; beyond it a command fails at once (a 503 for the request, counted in
 * {@code gatehouse_sessions_store_unavailable_total}). {@code max-reconnect-delay} (default 2 s) is the longest pause
 * between reconnection attempts after Redis went away (they start at 100 ms and double).
 */
@ConfigurationProperties("gatehouse.sessions.redis")
public record RedisSessionProperties(@Nullable Integer requestQueue, @Nullable Duration maxReconnectDelay) {

    public RedisSessionProperties {
        requestQueue = requestQueue == null ? 1_000 : requestQueue;
        if (requestQueue < 1) {
            throw new IllegalArgumentException("gatehouse.sessions.redis.request-queue must be at least 1, found "
                    + requestQueue);
        }
        maxReconnectDelay = maxReconnectDelay == null ? Duration.ofSeconds(2) : maxReconnectDelay;
        if (maxReconnectDelay.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("gatehouse.sessions.redis.max-reconnect-delay must be at least 100ms, found "
                    + maxReconnectDelay);
        }
    }
}
