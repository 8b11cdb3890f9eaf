package io.gatehouse.policy.criteria;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.Request;

/**
 * One condition of a rule, compiled from one YAML key at load time. {@link #evaluate(Request)} is pure,
 * thread-safe and does not throw: it answers {@link Match#holds} or {@link Match#fails} with the reasons that
 * explain it. A criterion class is named after its key ({@code source_ips} → {@link SourceIpsCriterion}).
 */
public interface Criterion {
    Match evaluate(Request request);

    /**
     * Whether the criterion holds, without building reasons: the allocation-free fast path the evaluator uses
     * to find the deciding rule before it asks that rule for its reasons. Must agree with
     * {@code evaluate(request).holds()}.
     */
    default boolean test(Request request) {
        return evaluate(request).holds();
    }

    /**
     * What the criterion asks for, as a plain clause a reviewer reads in an access review ("the user is in one of
     * the groups eng, oncall"; "the device's trust is at least high"): its values as written, no YAML syntax.
     */
    String describe();

    /**
     * The token claims this criterion can read ({@link ClaimsRead}), for the decision log's facts and the replay's
     * check that a line captured them; none unless the criterion looks at claims or nests criteria that do.
     */
    default ClaimsRead claimsRead() {
        return ClaimsRead.NONE;
    }
}
