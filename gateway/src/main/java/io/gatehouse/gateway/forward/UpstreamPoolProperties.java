package io.gatehouse.gateway.forward;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.forward.pool.*}: the upstream connection pool, one per upstream address (host and port).
 * <ul>
 *   <li>{@code max-connections} (default 500): open connections to one upstream at most; a request that finds them
 *       all busy waits for one, and at most twice this many requests wait;</li>
 *   <li>{@code acquire-timeout} (default 5 s): how long such a request waits before it is answered 503 with
 *       {@code Retry-After};</li>
 *   <li>{@code max-idle-time} (default 1 s): a connection idle this long is closed rather than reused. Keep it
 *       below the keep-alive timeout of every upstream (gunicorn 2 s; Node.js, Apache httpd, uvicorn 5 s), or a
 *       request sent on a connection the upstream is closing that moment fails with a 502;</li>
 *   <li>{@code max-life-time} (default 5 min): a connection this old is closed after its current request, so new
 *       upstream addresses (DNS, a Service's new pods) get traffic.</li>
 * </ul>
 * They are applied to Spring Cloud Gateway's pool settings ({@code spring.cloud.gateway.server.webflux.httpclient.
 * pool.*}, whose type becomes {@code fixed}) and win over them.
 */
public record UpstreamPoolProperties(
        @DefaultValue("500") int maxConnections,
        @DefaultValue("5s") Duration acquireTimeout,
        @DefaultValue("1s") Duration maxIdleTime,
        @DefaultValue("5m") Duration maxLifeTime) {

    public UpstreamPoolProperties {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("gatehouse.forward.pool.max-connections must be at least 1, not "
                    + maxConnections);
        }
        positive("acquire-timeout", acquireTimeout);
        positive("max-idle-time", maxIdleTime);
        positive("max-life-time", maxLifeTime);
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("gatehouse.forward.pool." + name + " must be positive, not " + value);
        }
    }
}
