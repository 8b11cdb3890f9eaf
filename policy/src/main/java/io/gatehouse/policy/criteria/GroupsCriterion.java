package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Key {@code groups: [..]}: the user is in at least one of these groups (exact, case-sensitive names from the IdP). */
public final class GroupsCriterion extends IdentityCriterion {
    private final Set<String> groups;
    private final String listed;
    private final String rule;
    private final Map<String, Match> holdsByGroup = new HashMap<>(); // built once: the holding reason per group

    private GroupsCriterion(Set<String> groups, String rule) {
        super(rule, "a group one of " + groups);
        this.groups = groups;
        this.listed = groups.toString();
        this.rule = rule;
        groups.forEach(g -> holdsByGroup.put(g, Match.holds("group", "group " + g + " is one of " + listed)));
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        return items == null ? null
                : new GroupsCriterion(Collections.unmodifiableSet(new LinkedHashSet<>(Nodes.values(items))), c.rule());
    }

    @Override
    boolean holds(Identity identity, Request request) {
        List<String> mine = identity.groups();
        for (int i = 0; i < mine.size(); i++) {
            if (groups.contains(mine.get(i))) {
                return true;
            }
        }
        return false;
    }

    @Override
    Match evaluate(Identity identity, Request request) {
        List<String> mine = identity.groups();
        for (int i = 0; i < mine.size(); i++) {
            Match holds = holdsByGroup.get(mine.get(i));
            if (holds != null) {
                return holds;
            }
        }
        return Match.fails("group-missing", "user " + who(identity) + " is in groups " + mine + ", rule " + rule
                + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the user is in one of the groups " + Phrases.list(groups);
    }
}
