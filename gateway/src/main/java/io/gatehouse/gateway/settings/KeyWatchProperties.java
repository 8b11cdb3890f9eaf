package io.gatehouse.gateway.settings;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code gatehouse.key-watch.*}: {@code poll-interval} (default 10 s, positive) is how often the signing key files
 * and the server certificate files (the public listener's and the decision listeners') are checked for a change.
 */
@ConfigurationProperties("gatehouse.key-watch")
public record KeyWatchProperties(@Nullable Duration pollInterval) {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

    public KeyWatchProperties {
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("gatehouse.key-watch.poll-interval must be positive, not "
                    + pollInterval);
        }
    }
}
