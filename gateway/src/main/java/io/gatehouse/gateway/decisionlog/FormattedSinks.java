package io.gatehouse.gateway.decisionlog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The writer's sink when {@code gatehouse.decision-log.sinks} lists several (docs/operations.md, "Decision log for a
 * SIEM: OCSF"): each queued Gatehouse line is rendered in every sink's format ({@link OcsfLine} for OCSF) and written
 * to its logger, on the writer thread. Every sink gets the line even when another refuses it; the line counts as
 * written when at least one sink took it and none failed. A sink whose logger is switched off is skipped; when all
 * are, the line is {@link LineSink.Disabled}. When any sink failed, the first failure is thrown, naming the sink.
 */
final class FormattedSinks implements LineSink {

    /** One sink: its name for errors, its format and where its lines go. */
    record Target(String name, DecisionLogFormat format, LineSink out) {
        Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(out, "out");
        }
    }

    private final List<Target> targets;
    private final OcsfLine ocsf;

    FormattedSinks(List<Target> targets, OcsfLine ocsf) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: at least one sink");
        }
        this.targets = List.copyOf(targets);
        this.ocsf = Objects.requireNonNull(ocsf, "ocsf");
    }

    /** The configured sinks, each on its logger ({@link DecisionLogSink#forLogger(String)}). */
    static LineSink of(List<DecisionLogProperties.Sink> sinks) {
        List<Target> targets = new ArrayList<>();
        for (DecisionLogProperties.Sink sink : sinks) {
            targets.add(new Target(sink.describe(), sink.format(), DecisionLogSink.forLogger(sink.logger())));
        }
        if (targets.size() == 1 && targets.get(0).format() == DecisionLogFormat.GATEHOUSE) {
            return targets.get(0).out(); // the default: the line as it is, nothing rendered
        }
        return new FormattedSinks(targets, OcsfLine.forThisBuild());
    }

    @Override
    public void write(String line) throws IOException {
        @Nullable IOException failure = null;
        @Nullable IOException disabled = null;
        int written = 0;
        for (Target target : targets) {
            try {
                target.out().write(target.format() == DecisionLogFormat.OCSF ? ocsf.render(line) : line);
                written++;
            } catch (LineSink.Disabled e) {
                disabled = e;
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = new IOException("sink " + target.name() + ": " + e.getMessage(), e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (written == 0 && disabled != null) {
            throw disabled;
        }
    }
}
