package io.gatehouse.policy.criteria;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Key {@code device: {os: [macOS, Windows]}}: the device's OS name is one of these, case-insensitively. */
public final class OsCriterion extends DeviceCriterion {
    private final List<String> names;
    private final List<String> lower;
    private final String listed;
    private final String rule;

    private OsCriterion(List<String> names, String rule) {
        super(rule, "device os one of " + names);
        this.names = names;
        this.listed = names.toString();
        this.lower = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        return items == null ? null : new OsCriterion(List.copyOf(Nodes.values(items)), c.rule());
    }

    @Override
    boolean holds(DevicePosture device, Request request) {
        String os = device.os();
        return os != null && lower.contains(os.toLowerCase(Locale.ROOT));
    }

    @Override
    Match evaluate(DevicePosture device, Request request) {
        String os = device.os();
        if (os != null && lower.contains(os.toLowerCase(Locale.ROOT))) {
            return Match.holds("device-os", "device os " + os + " is one of " + listed);
        }
        return Match.fails("device-os-not-allowed", "device os is " + (os == null ? "unknown" : os) + ", rule "
                + rule + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the device runs one of " + Phrases.list(names);
    }
}
