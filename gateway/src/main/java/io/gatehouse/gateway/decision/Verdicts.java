package io.gatehouse.gateway.decision;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.criteria.MaxAuthAgeCriterion;
import io.gatehouse.policy.model.Route;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * DECIDE's answer as a value (docs/design-next.md §1), the one place that chooses it, for the public listener
 * ({@link DecideStep}) and the decision service alike. Steps:
 * <ol>
 *   <li>let through when allowed or when an audit-mode route denied ({@link Decision#letThrough()});</li>
 *   <li>no route → 404;</li>
 *   <li>browser login (when configured): an anonymous navigation that matched no rule → login; a session whose
 *       login is too old for {@code max_auth_age} → login with step-up; any other request failing on
 *       {@code max_auth_age} → 401 {@code insufficient_user_authentication};</li>
 *   <li>anonymous and no rule matched → 401 {@code WWW-Authenticate: Bearer}; otherwise 403 with the reasons the
 *       caller may read ({@link VisibleReasons}).</li>
 * </ol>
 */
public final class Verdicts {

    private static final Verdict ALLOW = new Verdict.Allow();

    private Verdicts() {
    }

    /**
     * @param navigation     whether the request is a top-level browser navigation ({@link BrowserNavigation})
     * @param loginAvailable whether browser login is configured
     */
    public static Verdict of(Decision decision, @Nullable Route route, RequestContext context, boolean navigation,
                             boolean loginAvailable) {
        if (decision.letThrough() && route != null) {
            return ALLOW;
        }
        List<String> reasons = decision.reasons().stream().map(Reason::text).toList();
        String id = context.requestId();
        if (route == null) {
            return new Verdict.Refused(Verdict.Kind.NO_ROUTE, new Problem(HttpStatus.NOT_FOUND, "no-route",
                    "Not found", "No application is served at this address.", reasons, id, null), null, null);
        }
        boolean tooOld = decision.reasons().stream().anyMatch(r -> MaxAuthAgeCriterion.TOO_OLD.equals(r.code()));
        if (loginAvailable && navigation && context.identity() == null && decision.rule() == null) {
            return new Verdict.Login(false);
        }
        if (tooOld && context.identity() != null) {
            if (loginAvailable && navigation && context.authKind() == RequestContext.AuthKind.SESSION) {
                return new Verdict.Login(true);
            }
            return new Verdict.Refused(Verdict.Kind.STEP_UP, new Problem(HttpStatus.UNAUTHORIZED,
                    "insufficient-user-authentication", "Sign in again",
                    "This request needs a more recent sign-in.", reasons, id, route.id()),
                    "Bearer realm=\"gatehouse\", error=\"insufficient_user_authentication\", "
                            + "error_description=\"a more recent authentication is required\"", null);
        }
        // An anonymous caller learns that it must sign in, not what the policy asks for (VisibleReasons).
        List<String> shown = VisibleReasons.of(context, decision);
        if (context.identity() == null && decision.rule() == null) {
            return new Verdict.Refused(Verdict.Kind.UNAUTHENTICATED, new Problem(HttpStatus.UNAUTHORIZED,
                    "unauthenticated", "Authentication required",
                    "This application needs you to sign in; present a bearer token.", shown, id, route.id()),
                    "Bearer realm=\"gatehouse\"", null);
        }
        return new Verdict.Refused(Verdict.Kind.DENIED, new Problem(HttpStatus.FORBIDDEN, "denied", "Access denied",
                "The access policy of " + route.id() + " does not allow this request.", shown, id, route.id(),
                VisibleReasons.remedies(context, decision)), null, null);
    }
}
