package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems;
import java.util.Objects;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * nginx {@code auth_request} ({@code /authz/nginx}; docs/decision-service.md, "nginx"). nginx allows on any 2xx,
 * denies on 401 and 403 with that status, and turns anything else into a 500, discarding the subrequest's body.
 * Facts: method from {@code X-Original-Method}; scheme, host, path and query from {@code X-Original-URL}
 * ({@code $scheme://$http_host$request_uri}, an absolute http(s) URL, not decoded); client address from
 * {@code X-Real-IP}; the device certificate from {@code X-Forwarded-Client-Cert} ({@code $ssl_client_escaped_cert}).
 * Answers:
 * <ul>
 *   <li>allow: 200 with {@code X-Gatehouse-Assertion}, and {@code X-Gatehouse-Cookie} (the client's cookies without
 *       Gatehouse's) when the request sent any, for {@code proxy_set_header Cookie};</li>
 *   <li>browser login: 401 with {@code X-Gatehouse-Login} (the IdP URL) and {@code Set-Cookie}, which the
 *       {@code error_page 401} location turns into the 302;</li>
 *   <li>401 (no or bad credential, step-up for an API): 401 with {@code WWW-Authenticate};</li>
 *   <li>policy deny: 403 with {@code X-Gatehouse-Denied} (the reasons the caller may read, ≤ 1 KiB);</li>
 *   <li>400, 404, 503: 403 with {@code X-Gatehouse-Status} (and {@code Retry-After}).</li>
 * </ul>
 * Every answer carries {@code X-Gatehouse-Request-Id} and, when a rule decided, {@code X-Gatehouse-Rule}.
 */
public final class NginxDialect implements Dialect {

    public static final String LOGIN = "X-Gatehouse-Login";
    public static final String DENIED = "X-Gatehouse-Denied";
    public static final String STATUS = "X-Gatehouse-Status";
    static final int MAX_DENIED = 1024;

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public RequestFacts facts(AuthzCheck check) throws FactsInvalidException {
        HttpHeaders h = check.headers();
        String method = DialectSupport.method(DialectSupport.required(h, "X-Original-Method"), "X-Original-Method");
        String url = DialectSupport.required(h, "X-Original-URL");
        int sep = url.indexOf("://");
        if (sep <= 0) {
            throw new FactsInvalidException("X-Original-URL is not an absolute http(s) URL: "
                    + DialectSupport.quote(url));
        }
        String scheme = DialectSupport.scheme(url.substring(0, sep), "X-Original-URL");
        String rest = url.substring(sep + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String host = DialectSupport.host(rest.substring(0, end), "X-Original-URL");
        String target = rest.substring(end);
        if (target.isEmpty()) {
            target = "/";
        } else if (!target.startsWith("/")) {
            throw new FactsInvalidException("X-Original-URL has no absolute path: " + DialectSupport.quote(url));
        }
        String client = DialectSupport.ip(DialectSupport.required(h, "X-Real-IP"), "X-Real-IP");
        return DialectSupport.facts(method, scheme, host, target, h, client, "X-Original-URL", Set.of(), false);
    }

    @Override
    public AuthzAnswer answer(Outcome outcome, RequestFacts facts) {
        Objects.requireNonNull(outcome, "outcome");
        HttpHeaders headers = DialectSupport.common(outcome);
        Verdict verdict = outcome.verdict();
        String name = DialectSupport.outcome(verdict);
        if (verdict instanceof Verdict.Allow) {
            headers.set(DialectSupport.ASSERTION, Objects.requireNonNull(outcome.assertion()).jwt());
            String cookie = DialectSupport.upstreamCookie(facts);
            if (cookie != null) {
                headers.set(DialectSupport.UPSTREAM_COOKIE, cookie);
            }
            return new AuthzAnswer(200, headers, new byte[0], 200, name);
        }
        if (verdict instanceof Verdict.Login) {
            var redirect = Objects.requireNonNull(outcome.loginRedirect());
            headers.set(LOGIN, redirect.location().toString());
            if (redirect.setCookie() != null) {
                headers.add(HttpHeaders.SET_COOKIE, redirect.setCookie());
            }
            return new AuthzAnswer(401, headers, new byte[0], 302, name);
        }
        Verdict.Refused refused = (Verdict.Refused) verdict;
        DialectSupport.refusalHeaders(refused, headers);
        Problems.Rendered body = DialectSupport.body(refused, outcome, facts);
        headers.setContentType(body.contentType());
        int status = refused.status();
        if (status == 401) {
            return new AuthzAnswer(401, headers, body.body(), 401, name);
        }
        if (status == 403) {
            String reasons = String.join("; ", refused.problem().reasons());
            if (!reasons.isEmpty()) {
                headers.set(DENIED, DialectSupport.printable(reasons, MAX_DENIED));
            }
            return new AuthzAnswer(403, headers, body.body(), 403, name);
        }
        // nginx makes a 500 of anything but 2xx, 401 and 403: say the real status in a header (Q4).
        headers.set(STATUS, Integer.toString(status));
        return new AuthzAnswer(403, headers, body.body(), status, name);
    }

    @Override
    public AuthzAnswer invalid(FactsInvalidException why, String requestId) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(DialectSupport.REQUEST_ID, requestId);
        headers.set(STATUS, "400");
        headers.setContentType(DialectSupport.problemJson());
        headers.setCacheControl("no-store");
        return new AuthzAnswer(403, headers, DialectSupport.invalidBody(why, requestId).body(), 400,
                "facts-invalid");
    }
}
