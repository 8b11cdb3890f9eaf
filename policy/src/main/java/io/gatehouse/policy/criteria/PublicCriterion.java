package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/** Key {@code public: true}: anyone may pass, logged in or not. Only {@code true} is meaningful. */
public final class PublicCriterion implements Criterion {
    private static final Match HOLDS = Match.holds("public", "route is public: no login required");

    private PublicCriterion() {
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Boolean value = Nodes.bool(node, c);
        if (value == null) {
            return null;
        }
        if (!value) {
            c.error(node, "only public: true is meaningful; leave the key out for a non-public rule");
            return null;
        }
        return new PublicCriterion();
    }

    @Override
    public boolean test(Request request) {
        return true;
    }

    @Override
    public Match evaluate(Request request) {
        return HOLDS;
    }

    @Override
    public String describe() {
        return "anyone, signed in or not (public: no login required)";
    }
}
