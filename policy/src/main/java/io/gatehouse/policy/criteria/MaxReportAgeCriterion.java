package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Durations;
import io.gatehouse.policy.parse.ParseContext;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code device: {max_report_age: 24h}}: the device's latest posture report is at most this old at the
 * request's time. A device that never reported fails.
 */
public final class MaxReportAgeCriterion extends DeviceCriterion {
    private final Duration max;
    private final String maxText;
    private final String rule;

    private MaxReportAgeCriterion(Duration max, String maxText, String rule) {
        super(rule, "a device report at most " + maxText + " old");
        this.max = max;
        this.maxText = maxText;
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Duration d = Durations.parse(node, c);
        return d == null ? null : new MaxReportAgeCriterion(d, ((ScalarNode) node).getValue(), c.rule());
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        Instant at = device.reportedAt();
        return at != null && Durations.within(at, request.time(), max);
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        Instant at = device.reportedAt();
        if (at == null) {
            return Match.fails("device-report-too-old", "device " + device.id() + " never reported, rule " + rule
                    + " needs a report at most " + maxText + " old");
        }
        Duration age = Duration.between(at, request.time());
        return age.compareTo(max) <= 0
                ? Match.holds("device-report-age", "device report is " + Durations.human(age) + " old, at most "
                + maxText)
                : Match.fails("device-report-too-old", "device report is " + Durations.human(age) + " old, rule "
                + rule + " needs at most " + maxText);
    }

    @Override
    public String describe() {
        return "the device's posture report is at most " + maxText + " old";
    }
}
