package io.gatehouse.gateway.forward;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.forward.*} (the pool, {@code gatehouse.forward.pool.*}, is {@link UpstreamPoolProperties}):
 * {@code response-timeout} (default 30 s, positive) is how long an upstream may take to send its response headers.
 */
@ConfigurationProperties("gatehouse.forward")
public record ForwardProperties(@Nullable Duration responseTimeout) {

    public ForwardProperties {
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(30) : responseTimeout;
        if (responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("gatehouse.forward.response-timeout must be positive, not "
                    + responseTimeout);
        }
    }
}
