package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * Traefik {@code forwardAuth} and Caddy {@code forward_auth} ({@code /authz/forward-auth}; docs/decision-service.md).
 * Both return a non-2xx answer to the client as it is, so the answers are the public listener's: 200 with
 * {@code X-Gatehouse-Assertion} (and {@code X-Gatehouse-Cookie}, the client's cookies without Gatehouse's, when it
 * sent any); 302 to the IdP with {@code Set-Cookie} for a browser that must sign in; 401, 403,
 * 404, 400 and 503 with the problem+json or the HTML page. Facts: {@code X-Forwarded-Method}, {@code -Proto},
 * {@code -Host}, {@code -Uri} (path and query as sent), the last {@code X-Forwarded-For} hop, and the device
 * certificate from {@code X-Forwarded-Client-Cert} (PEM) or {@code X-Forwarded-Tls-Client-Cert} (base64 DER).
 */
public class ForwardAuthDialect implements Dialect {

    @Override
    public String name() {
        return "forward-auth";
    }

    @Override
    public RequestFacts facts(AuthzCheck check) throws FactsInvalidException {
        HttpHeaders h = check.headers();
        String method = DialectSupport.method(DialectSupport.required(h, "X-Forwarded-Method"), "X-Forwarded-Method");
        String scheme = DialectSupport.scheme(DialectSupport.required(h, "X-Forwarded-Proto"), "X-Forwarded-Proto");
        String host = DialectSupport.host(DialectSupport.required(h, "X-Forwarded-Host"), "X-Forwarded-Host");
        String uri = DialectSupport.required(h, "X-Forwarded-Uri");
        String client = DialectSupport.lastHop(DialectSupport.required(h, "X-Forwarded-For"), "X-Forwarded-For");
        return DialectSupport.facts(method, scheme, host, uri, h, client, "X-Forwarded-Uri", Set.of(), true);
    }

    @Override
    public AuthzAnswer answer(Outcome outcome, RequestFacts facts) {
        Objects.requireNonNull(outcome, "outcome");
        HttpHeaders headers = DialectSupport.common(outcome);
        Verdict verdict = outcome.verdict();
        String name = DialectSupport.outcome(verdict);
        if (verdict instanceof Verdict.Allow) {
            headers.set(DialectSupport.ASSERTION, Objects.requireNonNull(outcome.assertion()).jwt());
            allowHeaders(outcome, facts, headers);
            return new AuthzAnswer(200, headers, new byte[0], 200, name);
        }
        headers.set("X-Request-Id", outcome.context().requestId());
        if (verdict instanceof Verdict.Login) {
            var redirect = Objects.requireNonNull(outcome.loginRedirect());
            headers.setLocation(redirect.location());
            if (redirect.setCookie() != null) {
                headers.add(HttpHeaders.SET_COOKIE, redirect.setCookie());
            }
            return new AuthzAnswer(302, headers, new byte[0], 302, name);
        }
        Verdict.Refused refused = (Verdict.Refused) verdict;
        DialectSupport.refusalHeaders(refused, headers);
        Problems.Rendered body = DialectSupport.body(refused, outcome, facts);
        headers.setContentType(body.contentType());
        return new AuthzAnswer(refused.status(), headers, body.body(), refused.status(), name);
    }

    /** Extra headers on an allow: the client's cookies without Gatehouse's, when it sent any. */
    void allowHeaders(Outcome outcome, RequestFacts facts, HttpHeaders headers) {
        String cookie = DialectSupport.upstreamCookie(facts);
        if (cookie != null) {
            headers.set(DialectSupport.UPSTREAM_COOKIE, cookie);
        }
    }

    @Override
    public AuthzAnswer invalid(FactsInvalidException why, String requestId) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(DialectSupport.REQUEST_ID, requestId);
        headers.setContentType(DialectSupport.problemJson());
        headers.setCacheControl("no-store");
        return new AuthzAnswer(400, headers, DialectSupport.invalidBody(why, requestId).body(), 400,
                "facts-invalid");
    }
}
