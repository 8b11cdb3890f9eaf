package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Key {@code authenticated}: {@code true} holds for any logged-in user (session or bearer token);
 * {@code false} holds only for anonymous requests.
 */
public final class AuthenticatedCriterion implements Criterion {
    private final boolean wanted;
    private final String rule;

    private AuthenticatedCriterion(boolean wanted, String rule) {
        this.wanted = wanted;
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Boolean value = Nodes.bool(node, c);
        return value == null ? null : new AuthenticatedCriterion(value, c.rule());
    }

    @Override
    public Match evaluate(Request request) {
        Identity identity = request.identity();
        if (identity == null) {
            return wanted
                    ? Match.fails("identity-missing", "no identity (anonymous request), rule " + rule
                    + " needs an authenticated user")
                    : Match.holds("anonymous", "request is anonymous");
        }
        String who = IdentityCriterion.who(identity);
        return wanted
                ? Match.holds("authenticated", "user " + who + " is authenticated")
                : Match.fails("identity-present", "user " + who + " is authenticated, rule " + rule
                + " needs an anonymous request");
    }

    @Override
    public String describe() {
        return wanted ? "any signed-in user (session or bearer token)" : "only anonymous requests (nobody signed in)";
    }
}
