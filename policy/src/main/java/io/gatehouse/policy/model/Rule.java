package io.gatehouse.policy.model;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.criteria.Criterion;
import io.gatehouse.policy.criteria.Match;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One named {@code allow} or {@code deny} rule of a route: it holds when every criterion written in it holds
 * (docs/design.md, "Configuration"). {@code body} is those criteria compiled into one {@link Criterion}.
 * {@code remedy} is the rule's {@code remedy:} text, null when it has none: what a refused caller can do about it
 * (docs/policy.md, "Remedy"), plain text, already checked by the loader.
 */
public record Rule(String name, Criterion body, @Nullable String remedy) {

    /** Most characters a remedy may have: it is a hint shown next to the reasons, not a page. */
    public static final int MAX_REMEDY_LENGTH = 500;

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }

    /** A rule without a remedy. */
    public Rule(String name, Criterion body) {
        this(name, body, null);
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
