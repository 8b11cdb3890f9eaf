package io.gatehouse.gateway.session;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractReactiveHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * Health {@code sessionStore} (issue 18, item 1): UP while Redis answers a {@code PING} within 1 s, DOWN otherwise.
 * It is deliberately not part of the readiness group: with Redis down only requests carrying a session cookie fail
 * (503); bearer and public requests go on, and taking every replica out of the load balancer would turn that into
 * a full outage. See docs/operations.md.
 */
public final class SessionStoreHealth extends AbstractReactiveHealthIndicator {

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
    private final ReactiveRedisConnectionFactory connections;

    public SessionStoreHealth(ReactiveRedisConnectionFactory connections) {
        super("the session store (Redis) did not answer");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    @Override
    protected Mono<Health> doHealthCheck(Health.Builder builder) {
        return Mono.usingWhen(Mono.fromSupplier(connections::getReactiveConnection),
                        connection -> connection.ping(), ReactiveRedisConnection::closeLater)
                .timeout(PING_TIMEOUT)
                .map(pong -> builder.up().withDetail("store", "redis").build())
                .onErrorResume(e -> Mono.just(builder.down().withDetail("store", "redis")
                        .withDetail("error", e.getClass().getSimpleName()).build()));
    }
}
