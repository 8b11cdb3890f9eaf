package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Key {@code methods: [GET, POST]}: the HTTP method is one of these (case-insensitive, compared upper-cased). */
public final class MethodsCriterion implements Criterion {
    private final String[] methods;
    private final String listed;
    private final String rule;
    private final Match[] holds; // built once: the holding reason per listed method

    private MethodsCriterion(List<String> methods, String rule) {
        this.methods = methods.toArray(String[]::new);
        this.listed = methods.toString();
        this.rule = rule;
        this.holds = methods.stream().map(m -> Match.holds("method", "method " + m + " is one of " + listed))
                .toArray(Match[]::new);
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        List<ScalarNode> items = Nodes.stringList(node, c);
        if (items == null) {
            return null;
        }
        List<String> methods = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String m = items.get(i).getValue();
            if (!m.chars().allMatch(ch -> (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z'))) {
                c.index(i).error(items.get(i), "\"%s\" is not an HTTP method like GET or POST", m);
                ok = false;
            }
            methods.add(m.toUpperCase(Locale.ROOT));
        }
        return ok ? new MethodsCriterion(methods, c.rule()) : null;
    }

    @Override
    public boolean test(Request request) {
        String method = request.method();
        for (String m : methods) {
            if (m.equalsIgnoreCase(method)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Match evaluate(Request request) {
        String method = request.method();
        for (int i = 0; i < methods.length; i++) {
            if (methods[i].equalsIgnoreCase(method)) {
                return holds[i];
            }
        }
        return Match.fails("method-not-allowed", "method is " + method + ", rule " + rule + " needs one of " + listed);
    }

    @Override
    public String describe() {
        return "the method is one of " + String.join(", ", methods);
    }
}
