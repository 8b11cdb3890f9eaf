package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.assertion.Assertion;
import io.gatehouse.gateway.decision.LoginRedirect;
import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.decisionservice.Outcome;
import io.gatehouse.gateway.exchange.RequestFacts;
import io.gatehouse.gateway.hygiene.InboundHeaders;
import io.gatehouse.gateway.problem.Problems.Problem;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Mode;
import io.gatehouse.policy.Reason;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** {@link EnvoyAnswers}: each verdict of the pipeline as the {@code CheckResponse} of docs/design-next.md 2.4. */
class EnvoyAnswersTest {

    private static final EnvoyAnswers ANSWERS = new EnvoyAnswers(n -> InboundHeaders.defaults().mustRemove(n, true));
    private static final Identity PAT = new Identity("u-17", "pat@corp.example", List.of("staff"), Map.of(), null,
            true);

    private static RequestFacts facts(Map<String, String> headers) {
        HttpHeaders h = new HttpHeaders();
        headers.forEach(h::add);
        return new RequestFacts("GET", "https", "app.example", "/r", null, h, "198.51.100.7", null, null, null);
    }

    private static RequestContext context(RequestContext.@Nullable AuthKind kind, io.gatehouse.policy.Outcome outcome,
                                          @Nullable String rule) {
        RequestContext context = new RequestContext("req-1", 0L);
        if (kind != null) {
            context.authenticated(kind, PAT, kind == RequestContext.AuthKind.SESSION ? "h" : null);
        }
        context.decided(new Decision(outcome, "app", rule, Mode.ENFORCE, true, List.of(new Reason("r", "why"))),
                null, "v9");
        return context;
    }

    private static String header(CheckResponse response, String name) {
        return response.getDeniedResponse().getHeadersList().stream()
                .filter(h -> h.getHeader().getKey().equals(name)).map(h -> h.getHeader().getValue())
                .findFirst().orElse(null);
    }

    @Test
    void renderWhenAllowByBearerThenOkAssertionAndAuthorizationAndForgedHeadersRemoved() {
        Outcome outcome = new Outcome(new Verdict.Allow(), context(RequestContext.AuthKind.BEARER,
                io.gatehouse.policy.Outcome.ALLOW, "staff"), new Assertion("h.p.s", "jti-1", "k1"), null);

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Authorization", "Bearer t",
                "X-Gatehouse-User", "admin", "X-Gatehouse-Assertion", "forged", "Accept", "*/*")));

        assertThat(response.getStatus().getCode()).isZero();
        assertThat(response.getOkResponse().getHeaders(0).getHeader().getValue()).isEqualTo("h.p.s");
        assertThat(response.getOkResponse().getHeadersToRemoveList())
                .containsExactly("authorization", "x-gatehouse-user");
        assertThat(response.getDynamicMetadata().getFieldsMap()).containsOnlyKeys("request_id", "route", "rule",
                "decision", "policy_version");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("policy_version").getStringValue()).isEqualTo("v9");
    }

    @Test
    void renderWhenAllowBySessionThenAuthorizationIsNotRemoved() {
        Outcome outcome = new Outcome(new Verdict.Allow(), context(RequestContext.AuthKind.SESSION,
                io.gatehouse.policy.Outcome.ALLOW, "staff"), new Assertion("h.p.s", "jti-1", "k1"), null);

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Authorization", "Basic YXBwOmFwcA==")));

        assertThat(response.getOkResponse().getHeadersToRemoveList()).isEmpty();
    }

    @Test
    void renderWhenAllowedWithGatehouseCookiesThenTheUpstreamGetsTheOthersOnly() {
        Outcome outcome = new Outcome(new Verdict.Allow(), context(RequestContext.AuthKind.SESSION,
                io.gatehouse.policy.Outcome.ALLOW, "staff"), new Assertion("h.p.s", "jti-1", "k1"), null);

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Cookie", "app=1; __Host-gatehouse=s1")));

        assertThat(response.getOkResponse().getHeadersList()).extracting(h -> h.getHeader().getKey() + "="
                + h.getHeader().getValue()).contains("cookie=app=1");
        assertThat(response.getOkResponse().getHeadersToRemoveList()).doesNotContain("cookie");
    }

    @Test
    void renderWhenAllowedWithOnlyGatehouseCookiesThenCookieIsRemoved() {
        Outcome outcome = new Outcome(new Verdict.Allow(), context(RequestContext.AuthKind.SESSION,
                io.gatehouse.policy.Outcome.ALLOW, "staff"), new Assertion("h.p.s", "jti-1", "k1"), null);

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Cookie", "__Host-gatehouse=s1")));

        assertThat(response.getOkResponse().getHeadersToRemoveList()).contains("cookie");
        assertThat(response.getOkResponse().getHeadersList()).extracting(h -> h.getHeader().getKey())
                .containsExactly("x-gatehouse-assertion");
    }

    @Test
    void renderWhenLoginThen302LocationCookieNoStoreAndRequestId() {
        Outcome outcome = new Outcome(new Verdict.Login(false), context(null, io.gatehouse.policy.Outcome.DENY, null),
                null, new LoginRedirect(URI.create("https://idp.example/auth?state=s"), "__Host-gatehouse-login=x"));

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Accept", "text/html")));

        assertThat(response.getStatus().getCode()).isEqualTo(7);
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(302);
        assertThat(header(response, "location")).isEqualTo("https://idp.example/auth?state=s");
        assertThat(header(response, "set-cookie")).isEqualTo("__Host-gatehouse-login=x");
        assertThat(header(response, "cache-control")).isEqualTo("no-store");
        assertThat(header(response, "x-request-id")).isEqualTo("req-1");
        assertThat(response.getDeniedResponse().getBody()).isEmpty();
    }

    @Test
    void renderWhenLoginReusesThePreLoginCookieThenNoSetCookie() {
        Outcome outcome = new Outcome(new Verdict.Login(true), context(null, io.gatehouse.policy.Outcome.DENY, null),
                null, new LoginRedirect(URI.create("https://idp.example/auth"), null));

        assertThat(header(ANSWERS.render(outcome, facts(Map.of())), "set-cookie")).isNull();
    }

    @ParameterizedTest(name = "{0} {1} accept {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "DENIED          | 403 | text/html        | text/html",
            "DENIED          | 403 | application/json | application/problem+json",
            "NO_ROUTE        | 404 | text/html        | text/html",
            "REJECTED        | 400 | text/html        | application/problem+json",
            "UNAUTHENTICATED | 401 | text/html        | application/problem+json",
            "UNAVAILABLE     | 503 | application/json | application/problem+json",
    })
    void renderWhenRefusedThenStatusAndBodyByAccept(Verdict.Kind kind, int status, String accept, String type) {
        Verdict.Refused refused = new Verdict.Refused(kind, new Problem(HttpStatus.valueOf(status), "c", "t", "d",
                List.of("visible reason"), "req-1", "app"), null, null);
        Outcome outcome = new Outcome(refused, context(RequestContext.AuthKind.BEARER,
                io.gatehouse.policy.Outcome.DENY, null), null, null);

        CheckResponse response = ANSWERS.render(outcome, facts(Map.of("Accept", accept)));

        assertThat(response.getStatus().getCode()).isEqualTo(7);
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(status);
        assertThat(header(response, "content-type")).startsWith(type);
        assertThat(response.getDeniedResponse().getBody()).contains("visible reason").contains("req-1");
        assertThat(header(response, "x-request-id")).isEqualTo("req-1");
    }

    @Test
    void renderWhenUnauthenticatedThenWwwAuthenticate() {
        Verdict.Refused refused = new Verdict.Refused(Verdict.Kind.UNAUTHENTICATED, new Problem(HttpStatus.UNAUTHORIZED,
                "unauthenticated", "t", "d", List.of(), "req-1", "app"), "Bearer realm=\"gatehouse\"", null);

        CheckResponse response = ANSWERS.render(new Outcome(refused, context(null, io.gatehouse.policy.Outcome.DENY,
                null), null, null), facts(Map.of()));

        assertThat(header(response, "www-authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
    }

    @Test
    void renderWhenUnavailableThenRetryAfter() {
        Verdict.Refused refused = new Verdict.Refused(Verdict.Kind.UNAVAILABLE, new Problem(
                HttpStatus.SERVICE_UNAVAILABLE, "issuer-unavailable", "t", "d", List.of(), "req-1", null), null, "5");

        CheckResponse response = ANSWERS.render(new Outcome(refused, new RequestContext("req-1", 0L), null, null),
                facts(Map.of()));

        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(503);
        assertThat(header(response, "retry-after")).isEqualTo("5");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("decision").getStringValue())
                .isEqualTo("unavailable");
    }

    @Test
    void factsInvalidWhenRenderedThen400ProblemJsonWithTheMessage() {
        CheckResponse response = EnvoyAnswers.factsInvalid("attributes.request.http.host \"\" is not a host[:port]",
                "req-2", "v9");

        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(400);
        assertThat(header(response, "content-type")).startsWith("application/problem+json");
        assertThat(response.getDeniedResponse().getBody()).contains("authz-facts-invalid")
                .contains("is not a host[:port]");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("decision").getStringValue())
                .isEqualTo("authz-facts-invalid");
    }
}
