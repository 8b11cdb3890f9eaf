package io.gatehouse.gateway.decisionservice;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.assertion.Assertion;
import io.gatehouse.gateway.decision.LoginRedirect;
import io.gatehouse.gateway.decision.Verdict;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The result of one check ({@link DecisionPipeline#decide}): the verdict, the {@link RequestContext} every stage wrote
 * (for the reasons, the rule, the request id and the decision log), the signed assertion when the verdict is
 * {@link Verdict.Allow}, and the login redirect when it is {@link Verdict.Login}. A dialect renders it.
 */
public record Outcome(Verdict verdict, RequestContext context, @Nullable Assertion assertion,
                      @Nullable LoginRedirect loginRedirect) {
    public Outcome {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(context, "context");
        if ((verdict instanceof Verdict.Allow) != (assertion != null)) {
            throw new IllegalArgumentException("an assertion comes with an allow verdict and only with one");
        }
        if ((verdict instanceof Verdict.Login) != (loginRedirect != null)) {
            throw new IllegalArgumentException("a login redirect comes with a login verdict and only with one");
        }
    }
}
