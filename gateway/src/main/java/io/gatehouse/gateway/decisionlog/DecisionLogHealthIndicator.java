package io.gatehouse.gateway.decisionlog;

import java.util.Objects;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code decisionLog} on the management port: DOWN while the sink refuses lines (closed stdout,
 * full disk), with the last error, since when and how many lines were lost; UP once a line is written again. Not in
 * the readiness group by default (docs/operations.md, "When the decision log cannot be written").
 */
final class DecisionLogHealthIndicator extends AbstractHealthIndicator {

    private final DecisionLogWriter writer;

    DecisionLogHealthIndicator(DecisionLogWriter writer) {
        super("decision-log health check failed");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        DecisionLogWriter.SinkFailure failure = writer.sinkFailure();
        if (failure == null) {
            builder.up();
        } else {
            builder.down().withDetail("error", failure.message()).withDetail("since", failure.since().toString())
                    .withDetail("linesLost", failure.lines());
        }
    }
}
