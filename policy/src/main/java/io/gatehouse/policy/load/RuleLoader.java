package io.gatehouse.policy.load;

import io.gatehouse.policy.criteria.AllCriterion;
import io.gatehouse.policy.criteria.AnyCriterion;
import io.gatehouse.policy.criteria.AuthenticatedCriterion;
import io.gatehouse.policy.criteria.CelCriterion;
import io.gatehouse.policy.criteria.ClaimsCriterion;
import io.gatehouse.policy.criteria.Criterion;
import io.gatehouse.policy.criteria.DeviceFlagCriterion.Flag;
import io.gatehouse.policy.criteria.DeviceFlagCriterion;
import io.gatehouse.policy.criteria.DomainsCriterion;
import io.gatehouse.policy.criteria.EmailsCriterion;
import io.gatehouse.policy.criteria.GroupsCriterion;
import io.gatehouse.policy.criteria.MaxAuthAgeCriterion;
import io.gatehouse.policy.criteria.MaxReportAgeCriterion;
import io.gatehouse.policy.criteria.MethodsCriterion;
import io.gatehouse.policy.criteria.MinOsVersionCriterion;
import io.gatehouse.policy.criteria.NotCriterion;
import io.gatehouse.policy.criteria.OsCriterion;
import io.gatehouse.policy.criteria.OwnerIsUserCriterion;
import io.gatehouse.policy.criteria.PathsCriterion;
import io.gatehouse.policy.criteria.PublicCriterion;
import io.gatehouse.policy.criteria.SourceIpsCriterion;
import io.gatehouse.policy.criteria.TimeCriterion;
import io.gatehouse.policy.criteria.TrustCriterion;
import io.gatehouse.policy.model.Rule;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one rule mapping: {@code name}, an optional {@code remedy} ({@link Remedies}) plus criteria keys, each handed
 * to the criterion class named after it.
 * Nested rules ({@code all}, {@code any}, {@code not}) have criteria keys only. A rule without criteria is an
 * error: it would match every request, and {@code public: true} says that explicitly.
 */
final class RuleLoader {
    interface Parser {
        @Nullable Criterion parse(Node node, ParseContext c);
    }

    private static final Map<String, Parser> DEVICE = new LinkedHashMap<>();
    private static final Map<String, Parser> CRITERIA = new LinkedHashMap<>();

    static {
        DEVICE.put("known", (n, c) -> DeviceFlagCriterion.parse(Flag.KNOWN, n, c));
        DEVICE.put("managed", (n, c) -> DeviceFlagCriterion.parse(Flag.MANAGED, n, c));
        DEVICE.put("disk_encrypted", (n, c) -> DeviceFlagCriterion.parse(Flag.DISK_ENCRYPTED, n, c));
        DEVICE.put("screen_lock", (n, c) -> DeviceFlagCriterion.parse(Flag.SCREEN_LOCK, n, c));
        DEVICE.put("trust", TrustCriterion::parse);
        DEVICE.put("os", OsCriterion::parse);
        DEVICE.put("min_os_version", MinOsVersionCriterion::parse);
        DEVICE.put("owner_is_user", OwnerIsUserCriterion::parse);
        DEVICE.put("max_report_age", MaxReportAgeCriterion::parse);

        CRITERIA.put("public", PublicCriterion::parse);
        CRITERIA.put("authenticated", AuthenticatedCriterion::parse);
        CRITERIA.put("emails", EmailsCriterion::parse);
        CRITERIA.put("domains", DomainsCriterion::parse);
        CRITERIA.put("groups", GroupsCriterion::parse);
        CRITERIA.put("claims", ClaimsCriterion::parse);
        CRITERIA.put("max_auth_age", MaxAuthAgeCriterion::parse);
        CRITERIA.put("device", RuleLoader::device);
        CRITERIA.put("methods", MethodsCriterion::parse);
        CRITERIA.put("paths", PathsCriterion::parse);
        CRITERIA.put("source_ips", SourceIpsCriterion::parse);
        CRITERIA.put("time", TimeCriterion::parse);
        CRITERIA.put("cel", CelCriterion::parse);
        CRITERIA.put("all", (n, c) -> nested(n, c, true));
        CRITERIA.put("any", (n, c) -> nested(n, c, false));
        CRITERIA.put("not", (n, c) -> {
            Criterion inner = criteria(n, c.negated(), false);
            return inner == null ? null : new NotCriterion(inner);
        });
    }

    private static final List<String> TOP_KEYS;

    static {
        List<String> keys = new ArrayList<>();
        keys.add("name");
        keys.add("remedy");
        keys.addAll(CRITERIA.keySet());
        TOP_KEYS = List.copyOf(keys);
    }

    private RuleLoader() {
    }

    /** A top-level {@code allow}/{@code deny} entry; null when it had errors (already reported). */
    static @Nullable Rule rule(Node node, ParseContext c) {
        if (!(node instanceof MappingNode map)) {
            c.error(node, "expected a rule (a mapping with name and criteria), found %s", Nodes.describe(node));
            return null;
        }
        Node nameNode = null;
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name") && nameNode == null) {
                nameNode = t.getValueNode();
            }
        }
        String name = nameNode == null ? null : Nodes.string(nameNode, c.key("name"));
        if (nameNode == null) {
            c.error(node, "missing key \"name\"; every rule needs a name for decisions and logs");
        }
        Criterion body = criteria(node, c.forRule(name == null ? "?" : name), true);
        Node remedyNode = valueOf(map, "remedy");
        String remedy = remedyNode == null ? null : Remedies.parse(remedyNode, c.key("remedy"));
        if (remedyNode != null && remedy == null) {
            return null;
        }
        return name == null || body == null ? null : new Rule(name, body, remedy);
    }

    private static @Nullable Node valueOf(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    /** The rule's name as written, for duplicate checks; null when absent or not a text. */
    static @Nullable ScalarNode nameNode(Node node) {
        if (node instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")
                        && t.getValueNode() instanceof ScalarNode v) {
                    return v;
                }
            }
        }
        return null;
    }

    /** The criteria of a rule mapping, ANDed; null after reporting an error. */
    private static @Nullable Criterion criteria(Node node, ParseContext c, boolean top) {
        Map<String, Nodes.Entry> map = Nodes.mapping(node, c, top ? TOP_KEYS : CRITERIA.keySet());
        if (map == null) {
            return null;
        }
        List<Criterion> parts = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, Nodes.Entry> e : map.entrySet()) {
            if (e.getKey().equals("name") || e.getKey().equals("remedy")) {
                continue;
            }
            Criterion parsed = CRITERIA.get(e.getKey()).parse(e.getValue().value(), c.key(e.getKey()));
            ok &= parsed != null;
            if (parsed != null) {
                parts.add(parsed);
            }
        }
        int written = ((MappingNode) node).getValue().size() - (map.containsKey("name") ? 1 : 0)
                - (map.containsKey("remedy") ? 1 : 0);
        if (ok && parts.isEmpty() && written == 0) {
            c.error(node, "a rule needs at least one criterion (use public: true to allow everyone)");
            return null;
        }
        return ok ? new AllCriterion(parts) : null;
    }

    private static @Nullable Criterion device(Node node, ParseContext c) {
        Map<String, Nodes.Entry> map = Nodes.mapping(node, c, DEVICE.keySet());
        if (map == null) {
            return null;
        }
        if (((MappingNode) node).getValue().isEmpty()) {
            c.error(node, "device needs at least one of %s", String.join(", ", DEVICE.keySet()));
            return null;
        }
        List<Criterion> parts = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, Nodes.Entry> e : map.entrySet()) {
            Criterion parsed = DEVICE.get(e.getKey()).parse(e.getValue().value(), c.key(e.getKey()));
            ok &= parsed != null;
            if (parsed != null) {
                parts.add(parsed);
            }
        }
        return ok ? new AllCriterion(parts) : null;
    }

    private static @Nullable Criterion nested(Node node, ParseContext c, boolean all) {
        if (!(node instanceof SequenceNode seq)) {
            c.error(node, "expected a list of rules, found %s", Nodes.describe(node));
            return null;
        }
        if (seq.getValue().isEmpty()) {
            c.error(node, "an empty list of rules; give at least one");
            return null;
        }
        List<Criterion> parts = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Criterion part = criteria(seq.getValue().get(i), c.index(i), false);
            ok &= part != null;
            if (part != null) {
                parts.add(part);
            }
        }
        if (!ok) {
            return null;
        }
        return all ? new AllCriterion(parts) : new AnyCriterion(parts);
    }
}
