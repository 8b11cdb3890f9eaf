package io.gatehouse.policy.eval;

import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Mode;
import io.gatehouse.policy.Outcome;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.model.Policy;
import io.gatehouse.policy.model.Route;
import io.gatehouse.policy.model.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides one request on its route (docs/design.md, "Configuration"). Steps:
 * <ol>
 *   <li>every deny rule in order; the first that holds wins: deny, with that rule's holding reasons;</li>
 *   <li>every allow rule in order; the first that holds allows, with its holding reasons;</li>
 *   <li>otherwise deny with "no allow rule matched" followed by each allow rule's failing reasons (the first
 *       criterion that failed in it), each distinct reason once.</li>
 * </ol>
 * A route without rules denies everything. In audit mode a deny is not enforced. A route's shadow policy is decided
 * by the same steps ({@link #decideShadow}). Pure and thread-safe.
 */
public final class PolicyEvaluator {
    public static final Reason NO_ALLOW = new Reason("no-allow-rule", "no allow rule matched");

    private PolicyEvaluator() {
    }

    public static Decision decide(Route route, Request request) {
        return decide(route, route.policy(), request, "route " + route.id() + " has no policy, so it denies everything");
    }

    /**
     * What the route's shadow policy would decide, by the same steps as {@link #decide}; throws
     * {@link IllegalArgumentException} for a route without one (the caller checks first, so such a route costs
     * nothing).
     */
    public static Decision decideShadow(Route route, Request request) {
        Policy shadow = route.shadow();
        if (shadow == null) {
            throw new IllegalArgumentException("route " + route.id() + " has no shadow policy");
        }
        return decide(route, shadow, request, "the shadow policy of route " + route.id()
                + " has no rules, so it would deny everything");
    }

    private static Decision decide(Route route, Policy policy, Request request, String noRules) {
        if (policy.isEmpty()) {
            return deny(route, null, List.of(new Reason("no-policy", noRules)));
        }
        // Find the deciding rule with the allocation-free test(); build reasons only for the rules that decide.
        for (Rule rule : policy.deny()) {
            if (rule.test(request)) {
                return deny(route, rule.name(), rule.evaluate(request).reasons());
            }
        }
        for (Rule rule : policy.allow()) {
            if (rule.test(request)) {
                return new Decision(Outcome.ALLOW, route.id(), rule.name(), route.mode(), true,
                        rule.evaluate(request).reasons());
            }
        }
        List<Reason> failed = new ArrayList<>();
        failed.add(NO_ALLOW);
        for (Rule rule : policy.allow()) {
            for (Reason reason : rule.evaluate(request).reasons()) {
                // device notes follow every failing device criterion; say them once
                if (!failed.contains(reason)) {
                    failed.add(reason);
                }
            }
        }
        return deny(route, null, failed);
    }

    /** The decision for a URL that no route serves. */
    public static Decision noRoute(Request request) {
        String where = request.url().getHost() + (request.url().getPath() == null ? "" : request.url().getPath());
        return new Decision(Outcome.DENY, null, null, Mode.ENFORCE, true,
                List.of(new Reason("no-route", "no route serves " + where)));
    }

    /**
     * The decision for a path that names {@code shadowed}'s path prefix only in other letter case: no route serves
     * it (see {@link RouteTable}). The reason names the prefix the client wrote in other case, not the route.
     */
    public static Decision routeCaseMismatch(Request request, Route shadowed) {
        String path = request.url().getPath() == null ? "/" : request.url().getPath();
        return new Decision(Outcome.DENY, null, null, Mode.ENFORCE, true, List.of(new Reason("route-case-mismatch",
                "path " + path + " differs only in letter case from the path prefix " + shadowed.pathPrefix()
                        + " of a route; no route serves it, so that route's policy cannot be sidestepped")));
    }

    private static Decision deny(Route route, @org.jspecify.annotations.Nullable String rule, List<Reason> reasons) {
        return new Decision(Outcome.DENY, route.id(), rule, route.mode(), route.mode() == Mode.ENFORCE, reasons);
    }
}
