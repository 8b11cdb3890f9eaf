package io.gatehouse.gateway.decisionlog;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code gatehouse.decision-log.*}: the writer's bounds. {@code queue-capacity} (default 65536 lines) and
 * {@code queue-max-bytes} (default 16MB) bound the queue; {@code drain-timeout} (default 10 s) is how long the
 * queue is written out at shutdown.
 */
@ConfigurationProperties("gatehouse.decision-log")
public record DecisionLogProperties(@Nullable Integer queueCapacity, @Nullable DataSize queueMaxBytes,
                                    @Nullable Duration drainTimeout) {

    public DecisionLogProperties {
        queueCapacity = queueCapacity == null ? 65_536 : queueCapacity;
        queueMaxBytes = queueMaxBytes == null ? DataSize.ofMegabytes(16) : queueMaxBytes;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(10) : drainTimeout;
    }

    DecisionLogWriter.Limits limits() {
        return new DecisionLogWriter.Limits(queueCapacity, queueMaxBytes.toBytes(), drainTimeout);
    }
}
