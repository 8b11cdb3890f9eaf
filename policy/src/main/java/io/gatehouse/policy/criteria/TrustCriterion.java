package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Key {@code device: {trust: basic}}: the device's trust level is at least this one ({@code untrusted < basic <
 * high}).
 */
public final class TrustCriterion extends DeviceCriterion {
    private static final String LEVELS = Arrays.stream(TrustLevel.values()).map(TrustLevel::wireName)
            .collect(Collectors.joining(", "));

    private final TrustLevel min;
    private final String rule;
    private final Match[] byLevel; // built once: the answer for each trust level the device may have

    private TrustCriterion(TrustLevel min, String rule) {
        super(rule, "device trust " + min.wireName());
        this.min = min;
        this.rule = rule;
        this.byLevel = Arrays.stream(TrustLevel.values()).map(this::answer).toArray(Match[]::new);
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        String text = Nodes.string(node, c);
        if (text == null) {
            return null;
        }
        TrustLevel level = TrustLevel.parse(text).orElse(null);
        if (level == null) {
            c.error(node, "\"%s\" is not one of %s", text, LEVELS);
            return null;
        }
        return new TrustCriterion(level, c.rule());
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        return device.trust().atLeast(min);
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        return byLevel[device.trust().ordinal()];
    }

    private Match answer(TrustLevel have) {
        return have.atLeast(min)
                ? Match.holds("device-trust", "device trust is " + have.wireName() + ", at least " + min.wireName())
                : Match.fails("device-trust-too-low", "device trust is " + have.wireName() + ", rule " + rule
                        + " needs " + min.wireName());
    }

    @Override
    public String describe() {
        return "the device's trust is at least " + min.wireName();
    }
}
