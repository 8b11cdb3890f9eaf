package io.gatehouse.gateway.forward;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Bounds Spring Cloud Gateway's upstream connection pool with {@link UpstreamPoolProperties}. SCG's default pool is
 * "elastic": no limit on connections, no idle or lifetime limit, so a burst opens as many connections as it has
 * requests, and a kept-alive connection the upstream has just closed can be picked for the next request (a 502).
 * This sets the pool to {@code fixed} with the limits, background eviction, and Reactor Netty's pool metrics
 * ({@code reactor_netty_connection_provider_{active,idle,pending,max}_connections{remote_address}}), on SCG's
 * {@link HttpClientProperties} after they are bound and before SCG's {@code HttpClientFactory} builds the client.
 */
final class UpstreamPool implements BeanPostProcessor, EnvironmentAware {

    private static final Logger log = LoggerFactory.getLogger(UpstreamPool.class);
    /** How often idle and expired connections are closed in the background (they are also checked on every use). */
    static final Duration EVICTION_INTERVAL = Duration.ofSeconds(10);

    private @Nullable UpstreamPoolProperties pool;

    @Override
    public void setEnvironment(Environment environment) {
        pool = Binder.get(environment).bindOrCreate("gatehouse.forward.pool", UpstreamPoolProperties.class);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HttpClientProperties properties) {
            apply(Objects.requireNonNull(pool, "pool"), properties.getPool());
        }
        return bean;
    }

    static void apply(UpstreamPoolProperties limits, HttpClientProperties.Pool pool) {
        pool.setType(HttpClientProperties.Pool.PoolType.FIXED);
        pool.setMaxConnections(limits.maxConnections());
        pool.setAcquireTimeout(limits.acquireTimeout().toMillis());
        pool.setMaxIdleTime(limits.maxIdleTime());
        pool.setMaxLifeTime(limits.maxLifeTime());
        pool.setEvictionInterval(EVICTION_INTERVAL);
        pool.setMetrics(true);
        log.info("upstream pool: at most {} connections per upstream, {} waiting for at most {}; idle {}, life {}",
                limits.maxConnections(), 2 * limits.maxConnections(), limits.acquireTimeout(), limits.maxIdleTime(),
                limits.maxLifeTime());
    }
}
