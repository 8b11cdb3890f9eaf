package io.gatehouse.gateway.decisionservice.grpc;

import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.decision.LoginRedirect;
import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.gateway.session.SessionCookies;
import io.gatehouse.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Renders the decision pipeline's {@link Outcome} as the {@code CheckResponse} Envoy acts on (docs/design-next.md
 * 2.4; the wire shapes are {@link CheckResponses}):
 * <ul>
 *   <li>{@link Verdict.Allow}: OK with the assertion, and the inbound headers the upstream must not see removed
 *       (hygiene's list via {@code mustRemove}; {@code authorization} when its bearer token authenticated); when the
 *       client sent Gatehouse's own cookies, {@code cookie} is replaced by its other cookies, or removed when none
 *       is left (design-next Q2);</li>
 *   <li>{@link Verdict.Login}: 302 with {@code location} (the IdP), {@code set-cookie} (the pre-login cookie, when a
 *       new one was made) and {@code cache-control: no-store};</li>
 *   <li>{@link Verdict.Refused}: its status (400, 401, 403, 404, 503), {@code content-type} and body: the HTML deny
 *       page when the described request asks for {@code text/html} and the status is 403/404/503, else
 *       problem+json (a 400 or 401 is always problem+json, as on the public listener); {@code www-authenticate}
 *       and {@code retry-after} when the verdict carries them.</li>
 * </ul>
 * Every denied answer carries {@code x-request-id} (Gatehouse's request id) and {@code cache-control: no-store};
 * every answer carries the dynamic metadata for Envoy's access log. Pure: no I/O.
 */
public final class EnvoyAnswers {

    /** The dialect's name in the decision log ({@code via.dialect}) and the metrics. */
    public static final String DIALECT = "envoy-grpc";

    private final Predicate<String> mustRemove;

    /**
     * @param mustRemove which inbound header names (lower case) never reach an upstream (hygiene's list, as for a
     *                   trusted front proxy: Envoy's own forwarding headers stay)
     */
    public EnvoyAnswers(Predicate<String> mustRemove) {
        this.mustRemove = Objects.requireNonNull(mustRemove, "mustRemove");
    }

    /** The response for {@code outcome}, for the request {@code facts} describes. */
    public CheckResponse render(Outcome outcome, RequestFacts facts) {
        RequestContext context = outcome.context();
        CheckResponses.Metadata metadata = metadata(context, outcome.verdict());
        Verdict verdict = outcome.verdict();
        if (verdict instanceof Verdict.Allow) {
            String assertion = Objects.requireNonNull(outcome.assertion(), "assertion").jwt();
            List<String> remove = new ArrayList<>(CheckResponses.headersToRemove(facts.headers().keySet(),
                    mustRemove, true, context.authKind() == RequestContext.AuthKind.BEARER));
            // Gatehouse's session cookie is a bearer credential: the upstream gets the client's other cookies only.
            String cookie = CheckResponses.upstreamCookie(facts.headers().getOrEmpty(HttpHeaders.COOKIE),
                    SessionCookies::isOurs);
            if (cookie != null && cookie.isEmpty()) {
                remove.add("cookie");
                cookie = null;
            }
            return CheckResponses.allow(assertion, cookie, remove, metadata);
        }
        List<CheckResponses.Header> headers = new ArrayList<>();
        headers.add(new CheckResponses.Header("x-request-id", context.requestId()));
        headers.add(new CheckResponses.Header(HttpHeaders.CACHE_CONTROL, "no-store"));
        if (verdict instanceof Verdict.Login) {
            LoginRedirect redirect = Objects.requireNonNull(outcome.loginRedirect(), "loginRedirect");
            headers.add(new CheckResponses.Header(HttpHeaders.LOCATION, redirect.location().toString()));
            if (redirect.setCookie() != null) {
                headers.add(new CheckResponses.Header(HttpHeaders.SET_COOKIE, redirect.setCookie()));
            }
            return CheckResponses.denied(HttpStatus.FOUND.value(), headers, new byte[0], metadata);
        }
        Verdict.Refused refused = (Verdict.Refused) verdict;
        int status = refused.status();
        boolean html = status != 400 && status != 401 && Problems.wantsHtml(facts.headers());
        Problems.Rendered body = Problems.render(refused.problem(), html, context);
        headers.add(new CheckResponses.Header(HttpHeaders.CONTENT_TYPE, body.contentType().toString()));
        if (refused.wwwAuthenticate() != null) {
            headers.add(new CheckResponses.Header(HttpHeaders.WWW_AUTHENTICATE, refused.wwwAuthenticate()));
        }
        if (refused.retryAfter() != null) {
            headers.add(new CheckResponses.Header(HttpHeaders.RETRY_AFTER, refused.retryAfter()));
        }
        return CheckResponses.denied(status, headers, body.body(), metadata);
    }

    /**
     * The 400 for a check whose facts are missing or malformed ({@code authz-facts-invalid}): problem+json with the
     * message as its reason.
     */
    public static CheckResponse factsInvalid(String message, String requestId, String policyVersion) {
        Problems.Rendered body = Problems.render(new Problem(HttpStatus.BAD_REQUEST, CheckRequests.FACTS_INVALID,
                "Request facts invalid", "The proxy's check does not describe a request that can be judged.",
                List.of(message), requestId, null), false, null);
        return CheckResponses.denied(400, List.of(
                        new CheckResponses.Header("x-request-id", requestId),
                        new CheckResponses.Header(HttpHeaders.CACHE_CONTROL, "no-store"),
                        new CheckResponses.Header(HttpHeaders.CONTENT_TYPE, body.contentType().toString())),
                body.body(), new CheckResponses.Metadata(requestId, null, null, CheckRequests.FACTS_INVALID,
                        policyVersion));
    }

    /** The outcome's name for metrics: allow, login, or the refusal's kind. */
    public static String outcomeName(Verdict verdict) {
        if (verdict instanceof Verdict.Allow) {
            return "allow";
        }
        if (verdict instanceof Verdict.Login) {
            return "login";
        }
        return ((Verdict.Refused) verdict).kind().wireName();
    }

    private static CheckResponses.Metadata metadata(RequestContext context, Verdict verdict) {
        Decision decision = context.decision();
        @Nullable String outcome = decision == null ? outcomeName(verdict) : decision.outcome().wireName();
        return new CheckResponses.Metadata(context.requestId(), context.routeId(),
                decision == null ? null : decision.rule(), outcome, context.policyVersion());
    }
}
