package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code source_ips: ["10.20.0.0/16", "2001:db8::/32"]}: the client address is in one of these ranges.
 * A source address that is not an IP literal is in no range.
 */
public final class SourceIpsCriterion implements Criterion {
    private final Cidr[] ranges;
    private final String listed;
    private final String rule;

    private SourceIpsCriterion(List<Cidr> ranges, String rule) {
        this.ranges = ranges.toArray(Cidr[]::new);
        this.listed = ranges.toString();
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        if (items == null) {
            return null;
        }
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                ranges.add(Cidr.parse(items.get(i).getValue()));
            } catch (IllegalArgumentException e) {
                c.index(i).error(items.get(i), "%s", e.getMessage());
            }
        }
        return ranges.size() == items.size() ? new SourceIpsCriterion(ranges, c.rule()) : null;
    }

    @Override
    public boolean test(Request request) {
        byte[] address = IpAddress.parse(request.sourceIp());
        if (address != null) {
            for (Cidr range : ranges) {
                if (range.contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public Match evaluate(Request request) {
        String ip = request.sourceIp();
        byte[] address = IpAddress.parse(ip);
        if (address != null) {
            for (Cidr range : ranges) {
                if (range.contains(address)) {
                    return Match.holds("source-ip", "source ip " + ip + " is in " + range);
                }
            }
        }
        return Match.fails("source-ip-not-allowed", "source ip is " + ip + ", rule " + rule + " needs one of "
                + listed);
    }

    @Override
    public String describe() {
        return "the source IP is in one of " + Phrases.list(java.util.Arrays.asList(ranges));
    }
}
