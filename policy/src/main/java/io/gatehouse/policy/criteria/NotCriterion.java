package io.gatehouse.policy.criteria;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Request;

/**
 * Key {@code not: rule}: the nested rule fails. The reasons are the nested rule's own: what failed inside is why
 * the {@code not} holds ("source ip is 203.0.113.9, rule admin-only-from-office needs one of [10.20.0.0/16]").
 */
public final class NotCriterion implements Criterion {
    private final Criterion inner;

    public NotCriterion(Criterion inner) {
        this.inner = inner;
    }

    @Override
    public boolean test(Request request) {
        return !inner.test(request);
    }

    @Override
    public Match evaluate(Request request) {
        return inner.evaluate(request).negate();
    }

    @Override
    public String describe() {
        return "NOT (" + inner.describe() + ")";
    }

    @Override
    public ClaimsRead claimsRead() {
        return inner.claimsRead();
    }
}
