package io.gatehouse.policy.criteria;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code claims: {name: [values]}}: for every named claim, the token's claim has at least one of the
 * listed values (AND across claims, OR within one claim's values). A missing claim fails.
 */
public final class ClaimsCriterion extends IdentityCriterion {
    private record Wanted(String name, Set<String> values) {
    }

    private final List<Wanted> wanted;
    private final Match holds;
    private final String rule;

    private ClaimsCriterion(List<Wanted> wanted, String rule) {
        super(rule, "claims " + describe(wanted));
        this.wanted = wanted;
        this.holds = Match.holds("claims", "claims " + describe(wanted) + " hold");
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        if (!(node instanceof MappingNode map) || map.getValue().isEmpty()) {
            c.error(node, "expected a mapping of claim name to a list of values, found %s", Nodes.describe(node));
            return null;
        }
        List<Wanted> wanted = new ArrayList<>();
        boolean ok = true;
        for (NodeTuple t : map.getValue()) {
            String name = Nodes.string(t.getKeyNode(), c);
            if (name == null) {
                ok = false;
                continue;
            }
            List<ScalarNode> values = Nodes.stringList(t.getValueNode(), c.key(name));
            if (values == null) {
                ok = false;
                continue;
            }
            wanted.add(new Wanted(name, new java.util.LinkedHashSet<>(Nodes.values(values))));
        }
        return ok ? new ClaimsCriterion(List.copyOf(wanted), c.rule()) : null;
    }

    private static String describe(List<Wanted> wanted) {
        StringBuilder sb = new StringBuilder();
        for (Wanted w : wanted) {
            sb.append(sb.length() == 0 ? "" : ", ").append(w.name()).append(" one of ").append(w.values());
        }
        return sb.toString();
    }

    @Override
    boolean holds(Identity identity, Request request) {
        for (Wanted w : wanted) {
            List<String> have = identity.claims().get(w.name());
            if (have == null || have.stream().noneMatch(w.values()::contains)) {
                return false;
            }
        }
        return true;
    }

    @Override
    Match evaluate(Identity identity, Request request) {
        Map<String, List<String>> claims = identity.claims();
        for (Wanted w : wanted) {
            List<String> have = claims.get(w.name());
            if (have == null || have.stream().noneMatch(w.values()::contains)) {
                return Match.fails("claim-mismatch", "claim " + w.name() + " is "
                        + (have == null ? "absent" : have.toString()) + ", rule " + rule + " needs one of "
                        + w.values());
            }
        }
        return holds;
    }

    @Override
    public String describe() {
        return "the user's token has the claims " + describe(wanted);
    }

    @Override
    public ClaimsRead claimsRead() {
        return ClaimsRead.of(wanted.stream().map(Wanted::name).toList());
    }
}
