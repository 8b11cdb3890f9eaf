package io.gatehouse.gateway.session;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.data.redis.ReactiveRedisSessionRepository;

/**
 * Wires the session store (DESIGN.md: "Spring Session: in memory for one replica, Redis when replicas share
 * sessions"): Redis when {@code spring.data.redis.host} is set (sessions under {@code gatehouse:session:*}, the
 * back-channel index under {@code gatehouse:index:*}, single-use claims under {@code gatehouse:claim:*}, every key
 * with a TTL), in memory otherwise (bounded by {@link SessionStoreProperties}); and the filters that keep the
 * gateway's cookies from upstreams and upstreams from setting them (always on, login configured or not). Boot's own Redis and session auto-configuration is
 * excluded (GatewayApplication), so that no Redis is ever contacted unless configured here.
 */
@Configuration(proxyBeanMethods = false)
public class SessionConfiguration {

    static final String REDIS_ON = "'${spring.data.redis.host:}' != ''";
    static final String REDIS_OFF = "'${spring.data.redis.host:}' == ''";

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
    @ConditionalOnExpression(REDIS_OFF)
    static class InMemory {
        @Bean
        BrowserSessions browserSessions(@Value("${gatehouse.oidc.session-max-age:8h}") Duration maxAge,
                                        SessionStoreProperties bounds, Clock clock, MeterRegistry meters) {
            // Two stores: anonymous visitors fill only the pre-login one, never evicting a signed-in user.
            var sessions = new ReactiveMapSessionRepository(
                    BoundedSessionMap.create("session", bounds.maxSessions(), clock, meters));
            var logins = new ReactiveMapSessionRepository(
                    BoundedSessionMap.create("pre-login", bounds.maxPreLoginSessions(), clock, meters));
            return new BrowserSessions(sessions, logins, new SessionIndex.InMemory(bounds.maxIndexEntries(), meters),
                    maxAge, bounds.maxLoginAttempts());
        }
    }

    /** Replicas sharing sessions through Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(REDIS_ON)
    static class Redis {
        @Bean
        LettuceConnectionFactory gatehouseRedisConnectionFactory(@Value("${spring.data.redis.host}") String host,
                @Value("${spring.data.redis.port:6379}") int port,
                @Value("${spring.data.redis.password:}") String password,
                @Value("${spring.data.redis.database:0}") int database) {
            RedisStandaloneConfiguration redis = new RedisStandaloneConfiguration(host, port);
            redis.setDatabase(database);
            if (!password.isEmpty()) {
                redis.setPassword(RedisPassword.of(password));
            }
            return new LettuceConnectionFactory(redis);
        }

        @Bean
        BrowserSessions browserSessions(LettuceConnectionFactory connections,
                                        @Value("${gatehouse.oidc.session-max-age:8h}") Duration maxAge,
                                        SessionStoreProperties bounds) {
            RedisSerializationContext<String, Object> context = RedisSerializationContext
                    .<String, Object>newSerializationContext(RedisSerializer.java())
                    .key(RedisSerializer.string()).hashKey(RedisSerializer.string()).build();
            ReactiveSessionRepository<? extends Session> repository =
                    new ReactiveRedisSessionRepository(new ReactiveRedisTemplate<>(connections, context));
            ((ReactiveRedisSessionRepository) repository).setRedisKeyNamespace("gatehouse:session");
            // Every key has a TTL (sessions: their max inactive interval; index and claims: RedisSessionIndex).
            return new BrowserSessions(repository, repository,
                    new RedisSessionIndex(new ReactiveStringRedisTemplate(connections)), maxAge, bounds.maxLoginAttempts());
        }
    }
}
