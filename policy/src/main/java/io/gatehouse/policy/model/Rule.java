package io.gatehouse.policy.model;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.criteria.Criterion;
import io.gatehouse.policy.criteria.Match;
import java.util.Objects;

/**
 * One named {@code allow} or {@code deny} rule of a route: it holds when every criterion written in it holds
 * (docs/design.md, "Configuration"). {@code body} is those criteria compiled into one {@link Criterion}.
 */
public record Rule(String name, Criterion body) {

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** Whether the rule holds, without building reasons (the evaluator's fast path). */
    public boolean test(Request request) {
        return body.test(request);
    }

    /** Whether the rule holds, with the reasons that say why or why not. */
    public Match evaluate(Request request) {
        return body.evaluate(request);
    }
}
