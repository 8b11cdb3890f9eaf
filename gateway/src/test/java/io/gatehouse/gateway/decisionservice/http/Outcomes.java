package io.gatehouse.gateway.decisionservice.http;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.assertion.Assertion;
import io.gatehouse.gateway.decision.LoginRedirect;
import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Mode;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** Outcomes of the pipeline for the dialect tests, built without a pipeline. */
final class Outcomes {

    static final String ID = "11111111-2222-4333-8444-555555555555";

    private Outcomes() {
    }

    static RequestContext context(String rule) {
        RequestContext context = new RequestContext(ID, 0L);
        context.decided(new Decision(io.gatehouse.policy.Outcome.ALLOW, "app", rule, Mode.ENFORCE, true, List.of()),
                null, "v1");
        return context;
    }

    static Outcome allow() {
        return new Outcome(new Verdict.Allow(), context("staff"), new Assertion("h.p.s", "jti-1", "k1"), null);
    }

    static Outcome login(String setCookie) {
        return new Outcome(new Verdict.Login(false), new RequestContext(ID, 0L), null,
                new LoginRedirect(URI.create("https://idp.example/auth?state=s"), setCookie));
    }

    static Outcome refused(Verdict.Kind kind, HttpStatus status, List<String> reasons, String www, String retry) {
        return new Outcome(new Verdict.Refused(kind, new Problem(status, kind.wireName(), "t", "d", reasons, ID,
                "app"), www, retry), new RequestContext(ID, 0L), null, null);
    }

    static RequestFacts withCookies(String... cookieHeaders) {
        HttpHeaders headers = new HttpHeaders();
        for (String cookie : cookieHeaders) {
            headers.add(HttpHeaders.COOKIE, cookie);
        }
        return new RequestFacts("GET", "https", "app.example", "/x", null, headers, "192.0.2.1", null, null, null);
    }

    static RequestFacts facts(String accept) {
        HttpHeaders headers = new HttpHeaders();
        if (accept != null) {
            headers.set(HttpHeaders.ACCEPT, accept);
        }
        return new RequestFacts("GET", "https", "app.example", "/x", null, headers, "192.0.2.1", null, null, null);
    }
}
