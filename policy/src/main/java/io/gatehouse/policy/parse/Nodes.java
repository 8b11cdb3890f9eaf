package io.gatehouse.policy.parse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of YAML nodes that report, instead of throwing, when a value has the wrong shape. Each method
 * returns null (or an empty result) after reporting, so the caller skips the value and the loader goes on.
 * Scalars are read as the text written in the file, so {@code 15.10} stays "15.10", never a float.
 */
public final class Nodes {
    private Nodes() {
    }

    /** How a node reads in an error message: {@code "hgh"}, {@code a list}, {@code a mapping}, {@code nothing}. */
    public static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            return isNull(s) ? "nothing" : "\"" + s.getValue() + "\"";
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    /** Whether a scalar is YAML null ({@code ~}, {@code null} or empty, written plain). */
    public static boolean isNull(ScalarNode s) {
        return Tag.NULL.equals(s.getTag()) || (s.getScalarStyle() == ScalarStyle.PLAIN
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null")));
    }

    public static @Nullable String string(Node node, ParseContext c) {
        if (node instanceof ScalarNode s && !isNull(s) && !s.getValue().isBlank()) {
            return s.getValue();
        }
        c.error(node, "expected a text, found %s", describe(node));
        return null;
    }

    public static @Nullable Boolean bool(Node node, ParseContext c) {
        if (node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN) {
            switch (s.getValue()) {
                case "true", "True", "TRUE" -> {
                    return Boolean.TRUE;
                }
                case "false", "False", "FALSE" -> {
                    return Boolean.FALSE;
                }
                default -> {
                }
            }
        }
        c.error(node, "expected true or false, found %s", describe(node));
        return null;
    }

    /** A non-empty list of texts; reports each bad element and returns the good ones with their nodes. */
    public static @Nullable List<ScalarNode> stringList(Node node, ParseContext c) {
        if (!(node instanceof SequenceNode seq)) {
            c.error(node, "expected a list, found %s", describe(node));
            return null;
        }
        if (seq.getValue().isEmpty()) {
            c.error(node, "an empty list matches nothing; give at least one value");
            return null;
        }
        List<ScalarNode> out = new ArrayList<>();
        boolean bad = false;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            if (item instanceof ScalarNode s && !isNull(s) && !s.getValue().isBlank()) {
                out.add(s);
            } else {
                c.index(i).error(item, "expected a text, found %s", describe(item));
                bad = true;
            }
        }
        return bad ? null : out;
    }

    public static List<String> values(List<ScalarNode> nodes) {
        List<String> out = new ArrayList<>(nodes.size());
        nodes.forEach(n -> out.add(n.getValue()));
        return out;
    }

    /**
     * The entries of a mapping by key, in file order. Reports a non-mapping, non-text keys, duplicate keys and
     * keys outside {@code allowed} (with a "did you mean" for a close one); those entries are left out.
     */
    public static @Nullable Map<String, Entry> mapping(Node node, ParseContext c, Collection<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            c.error(node, "expected a mapping, found %s", describe(node));
            return null;
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || isNull(k)) {
                c.error(t.getKeyNode(), "expected a text key, found %s", describe(t.getKeyNode()));
                continue;
            }
            String key = k.getValue();
            if (!seen.add(key)) {
                c.error(k, "duplicate key \"%s\"", key);
            } else if (!allowed.contains(key)) {
                c.error(k, "unknown key \"%s\"; %s", key, Suggest.expected(key, allowed));
            } else {
                out.put(key, new Entry(k, t.getValueNode()));
            }
        }
        return out;
    }

    /** One key of a mapping with its value. */
    public record Entry(ScalarNode key, Node value) {
    }

    /** The value of {@code key} in a mapping node, or the node itself when there is none (for error positions). */
    public static Node valueOf(Node mapping, String key) {
        if (mapping instanceof MappingNode map) {
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return mapping;
    }
}
