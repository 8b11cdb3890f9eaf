package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Request;

/**
 * Base of the criteria that look at who is asking. An anonymous request fails every one of them with the
 * same sentence ("no identity (anonymous request), rule R needs ..."), so subclasses only see an identity.
 */
abstract class IdentityCriterion implements Criterion {
    private final Match anonymous;

    /** {@code needs} completes "rule R needs ..." and is fixed at load time. */
    IdentityCriterion(String rule, String needs) {
        this.anonymous = Match.fails("identity-missing", "no identity (anonymous request), rule " + rule + " needs "
                + needs);
    }

    @Override
    public final Match evaluate(Request request) {
        Identity identity = request.identity();
        return identity == null ? anonymous : evaluate(identity, request);
    }

    @Override
    public final boolean test(Request request) {
        Identity identity = request.identity();
        return identity != null && holds(identity, request);
    }

    abstract boolean holds(Identity identity, Request request);

    abstract Match evaluate(Identity identity, Request request);

    /** How a user reads in a reason: the email when there is one, else the subject. */
    static String who(Identity identity) {
        return identity.email() != null ? identity.email() : identity.sub();
    }
}
