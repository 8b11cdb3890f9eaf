package io.gatehouse.gateway.decisionlog;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code gatehouse.decision-log.*}: the writer's bounds and its sinks. {@code queue-capacity} (default 65536 lines)
 * and {@code queue-max-bytes} (default 16MB) bound the queue; {@code drain-timeout} (default 10 s) is how long the
 * queue is written out at shutdown. {@code sinks} lists where lines go, each a logger and a format; default one
 * sink, logger {@code gatehouse.decision} in the Gatehouse format.
 */
@ConfigurationProperties("gatehouse.decision-log")
public record DecisionLogProperties(@Nullable Integer queueCapacity, @Nullable DataSize queueMaxBytes,
                                    @Nullable Duration drainTimeout, @Nullable List<Sink> sinks) {

    /** Most sinks one gateway writes to: each line is rendered and written once per sink, on the writer thread. */
    static final int MAX_SINKS = 4;

    public DecisionLogProperties {
        queueCapacity = queueCapacity == null ? 65_536 : queueCapacity;
        queueMaxBytes = queueMaxBytes == null ? DataSize.ofMegabytes(16) : queueMaxBytes;
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(10) : drainTimeout;
        sinks = sinks == null || sinks.isEmpty() ? List.of(new Sink(null, null)) : List.copyOf(sinks);
        if (sinks.size() > MAX_SINKS) {
            throw new IllegalArgumentException("gatehouse.decision-log.sinks: " + sinks.size()
                    + " sinks, at most " + MAX_SINKS + " are allowed");
        }
        long distinct = sinks.stream().map(Sink::logger).distinct().count();
        if (distinct != sinks.size()) {
            throw new IllegalArgumentException("gatehouse.decision-log.sinks: two sinks name the same logger "
                    + sinks.stream().map(Sink::logger).toList() + "; give each sink its own logger");
        }
    }

    /**
     * One sink: the logger its lines are written on (default {@code gatehouse.decision}; stdout unless a logging
     * configuration gives the logger an appender) and their format (default {@code gatehouse}; {@code ocsf}).
     */
    public record Sink(@Nullable String logger, @Nullable DecisionLogFormat format) {
        public Sink {
            logger = logger == null || logger.isBlank() ? DecisionLogWriter.LOGGER : logger.strip();
            format = format == null ? DecisionLogFormat.GATEHOUSE : format;
        }

        /** How the sink is named in logs and errors: logger and format. */
        String describe() {
            return logger + " (" + format.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    DecisionLogWriter.Limits limits() {
        return new DecisionLogWriter.Limits(queueCapacity, queueMaxBytes.toBytes(), drainTimeout);
    }
}
