package io.gatehouse.gateway.session;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;
import java.util.List;
import org.springframework.context.annotation.Import;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

/**
 * Wires the session store (docs/design.md: "Spring Session: in memory for one replica, Redis when replicas share
 * sessions"): Redis when {@code spring.data.redis.url}, {@code .host}, {@code .sentinel.master} or
 * {@code .cluster.nodes} is set (sessions under {@code gatehouse:session:*}, attributes as JSON ({@link SessionJson}),
 * the back-channel index under {@code gatehouse:index:*}, single-use claims under {@code gatehouse:claim:*}, every
 * key with a TTL), in memory otherwise (bounded by {@link SessionStoreProperties}); the health {@code sessionStore};
 * and the filters that keep the gateway's cookies from upstreams and upstreams from setting them (always on, login
 * configured or not). Boot's own Redis and session auto-configuration is excluded (GatewayApplication) and Boot's Redis connection imported here only when Redis is configured, so that no
 * Redis is ever contacted unless configured.
 */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    @Bean
    SessionCookieStripFilter sessionCookieStripFilter() {
        return new SessionCookieStripFilter();
    }

    @Bean
    UpstreamSetCookieFilter upstreamSetCookieFilter() {
        return new UpstreamSetCookieFilter();
    }

    /** One replica: sessions and index in this process. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisNotConfigured.class)
    static class InMemory {
        @Bean
        SessionEvents sessionEvents(MeterRegistry meters) {
            return SessionEvents.inMemory(meters);
        }

        @Bean
        BrowserSessions browserSessions(SessionLifetimeProperties lifetime, SessionStoreProperties bounds, Clock clock,
                                        MeterRegistry meters, SessionEvents events) {
            // Two stores: anonymous visitors fill only the pre-login one, never evicting a signed-in user.
            var sessions = new ReactiveMapSessionRepository(
                    BoundedSessionMap.create("session", bounds.maxSessions(), clock, meters));
            var logins = new ReactiveMapSessionRepository(
                    BoundedSessionMap.create("pre-login", bounds.maxPreLoginSessions(), clock, meters));
            return new BrowserSessions(sessions, logins, new SessionIndex.InMemory(bounds.maxIndexEntries(), meters),
                    lifetime.sessionMaxAge(), bounds.maxLoginAttempts(), events);
        }

        /** Health {@code sessionStore}: always UP, the sessions are in this process. */
        @Bean("sessionStore")
        ReactiveHealthIndicator sessionStoreHealth() {
            return () -> Mono.just(Health.up().withDetail("store", "memory").build());
        }
    }

    /**
     * Replicas sharing sessions through Redis. The connection is Boot's own ({@code RedisAutoConfiguration}, imported
     * here only, so every {@code spring.data.redis.*} setting is honoured: url with {@code redis://} or
     * {@code rediss://}, host, port, username, password, database, ssl, timeout, connect-timeout, client-name,
     * sentinel, cluster, lettuce pool), with {@link RedisFailFast} on top: a command timeout of 500 ms unless
     * {@code spring.data.redis.timeout} says otherwise, commands rejected at once while disconnected, a bounded
     * request queue, reconnection in the background.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisConfigured.class)
    @Import(RedisAutoConfiguration.class)
    static class Redis {

        @Bean
        RedisFailFast gatehouseRedisFailFast(RedisProperties redis, RedisSessionProperties bounds) {
            return new RedisFailFast(redis, bounds);
        }

        /** Session-ended events on Redis pub/sub, so every replica hears of a logout (issue 22). */
        @Bean
        SessionEvents sessionEvents(ReactiveRedisConnectionFactory connections, MeterRegistry meters) {
            return SessionEvents.redis(new ReactiveStringRedisTemplate(connections), meters);
        }

        @Bean
        BrowserSessions browserSessions(ReactiveRedisConnectionFactory connections,
                                        SessionLifetimeProperties lifetime, SessionStoreProperties bounds,
                                        SessionEvents events) {
            RedisSerializationContext<String, Object> context = RedisSerializationContext
                    .<String, Object>newSerializationContext(SessionJson.serializer())
                    .key(RedisSerializer.string()).hashKey(RedisSerializer.string()).build();
            ReactiveRedisSessionRepository repository =
                    new ReactiveRedisSessionRepository(new ReactiveRedisTemplate<>(connections, context));
            repository.setRedisKeyNamespace("gatehouse:session");
            // Every key has a TTL (sessions: their max inactive interval; index and claims: RedisSessionIndex).
            return new BrowserSessions(repository, repository,
                    new RedisSessionIndex(new ReactiveStringRedisTemplate(connections)), lifetime.sessionMaxAge(),
                    bounds.maxLoginAttempts(), events);
        }

        @Bean("sessionStore")
        SessionStoreHealth sessionStoreHealth(ReactiveRedisConnectionFactory connections) {
            return new SessionStoreHealth(connections);
        }
    }

    /**
     * Redis is configured when any of {@code spring.data.redis.url}, {@code .host}, {@code .sentinel.master} or
     * {@code .cluster.nodes} is set (not blank).
     */
    static final class RedisConfigured implements Condition {
        static final List<String> KEYS = List.of("spring.data.redis.url", "spring.data.redis.host",
                "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes",
                "spring.data.redis.cluster.nodes[0]");

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return configured(context.getEnvironment());
        }

        static boolean configured(Environment environment) {
            return KEYS.stream().map(environment::getProperty).anyMatch(v -> v != null && !v.isBlank());
        }
    }

    /** The opposite of {@link RedisConfigured}: sessions in memory. */
    static final class RedisNotConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !RedisConfigured.configured(context.getEnvironment());
        }
    }
}
