package io.gatehouse.gateway.decisionservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.exchange.RequestFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** Traefik/Caddy forward-auth: facts from X-Forwarded-*; the answer goes to the client as it is. */
class ForwardAuthDialectTest {

    private final ForwardAuthDialect dialect = new ForwardAuthDialect();

    private static AuthzCheck check(String... nameValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return new AuthzCheck("GET", "", null, headers, "127.0.0.1");
    }

    private static AuthzCheck complete(String... more) {
        String[] base = {"X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https", "X-Forwarded-Host",
                "app.example", "X-Forwarded-Uri", "/api/x?y=1", "X-Forwarded-For", "198.51.100.1, 192.0.2.10"};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return check(all);
    }

    @Test
    void factsWhenForwardedHeadersThenTheDescribedRequestAndTheLastHop() throws Exception {
        RequestFacts facts = dialect.facts(complete("Authorization", "Bearer t"));

        assertThat(facts.method()).isEqualTo("GET");
        assertThat(facts.origin()).isEqualTo("https://app.example");
        assertThat(facts.rawPath()).isEqualTo("/api/x");
        assertThat(facts.rawQuery()).isEqualTo("y=1");
        assertThat(facts.sourceIp()).as("the hop the proxy itself saw").isEqualTo("192.0.2.10");
        assertThat(facts.header("authorization")).isEqualTo("Bearer t");
        assertThat(facts.headers().keySet()).noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT)
                .startsWith("x-forwarded-"));
    }

    @Test
    void factsWhenTraefikBase64DerCertificateThenWrappedAsPem() throws Exception {
        RequestFacts facts = dialect.facts(complete("X-Forwarded-Tls-Client-Cert", "MIIBabc+/="));

        assertThat(facts.forwardedCertificate())
                .isEqualTo("-----BEGIN CERTIFICATE-----\nMIIBabc+/=\n-----END CERTIFICATE-----\n");
    }

    @Test
    void factsWhenAFactIsMissingOrMalformedThenInvalidNamingIt() {
        assertThatThrownBy(() -> dialect.facts(check("X-Forwarded-Method", "GET"))).isInstanceOf(
                FactsInvalidException.class).hasMessageContaining("X-Forwarded-Proto");
        assertThatThrownBy(() -> dialect.facts(check("X-Forwarded-Method", "GET", "X-Forwarded-Proto", "gopher", "X-Forwarded-Host", "a",
                "X-Forwarded-Uri", "/", "X-Forwarded-For", "1.2.3.4"))).hasMessageContaining("not http or https");
        assertThatThrownBy(() -> dialect.facts(check("X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "a", "X-Forwarded-Uri", "relative", "X-Forwarded-For", "1.2.3.4")))
                .hasMessageContaining("X-Forwarded-Uri");
        assertThatThrownBy(() -> dialect.facts(check("X-Forwarded-Method", "GET", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "a", "X-Forwarded-Uri", "/"))).hasMessageContaining("X-Forwarded-For");
        assertThatThrownBy(() -> dialect.facts(check("X-Forwarded-Method", "G E T", "X-Forwarded-Proto", "https",
                "X-Forwarded-Host", "a", "X-Forwarded-Uri", "/", "X-Forwarded-For", "1.2.3.4")))
                .hasMessageContaining("not an HTTP method");
    }

    @Test
    void answerWhenLoginThen302ToTheIdpWithTheCookie() {
        AuthzAnswer answer = dialect.answer(Outcomes.login("__Host-gatehouse-login=l1"), Outcomes.facts("text/html"));

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.headers().getLocation()).hasToString("https://idp.example/auth?state=s");
        assertThat(answer.headers().getFirst(HttpHeaders.SET_COOKIE)).isEqualTo("__Host-gatehouse-login=l1");
        assertThat(answer.headers().getCacheControl()).isEqualTo("no-store");
    }

    @Test
    void answerWhenAllowThen200WithTheAssertion() {
        AuthzAnswer answer = dialect.answer(Outcomes.allow(), Outcomes.facts(null));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("X-Gatehouse-Assertion")).isEqualTo("h.p.s");
    }

    @Test
    void answerWhenDeniedForABrowserThenTheHtmlPageAsIs() {
        AuthzAnswer answer = dialect.answer(Outcomes.refused(Verdict.Kind.DENIED, HttpStatus.FORBIDDEN,
                List.of("group finance required"), null, null), Outcomes.facts("text/html"));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.headers().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("group finance required");
        assertThat(answer.headers().getFirst("X-Request-Id")).isEqualTo(Outcomes.ID);
    }

    @Test
    void answerWhenNoRouteThen404AndUnavailableThen503WithRetryAfter() {
        assertThat(dialect.answer(Outcomes.refused(Verdict.Kind.NO_ROUTE, HttpStatus.NOT_FOUND, List.of(), null,
                null), Outcomes.facts(null)).status()).isEqualTo(404);
        AuthzAnswer unavailable = dialect.answer(Outcomes.refused(Verdict.Kind.UNAVAILABLE,
                HttpStatus.SERVICE_UNAVAILABLE, List.of(), null, "5"), Outcomes.facts(null));
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
    }

    @Test
    void invalidWhenFactsMissingThen400ProblemJson() {
        AuthzAnswer answer = dialect.invalid(new FactsInvalidException("the check has no X-Forwarded-Uri header"),
                Outcomes.ID);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().getContentType()).hasToString("application/problem+json");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"code\":\"authz-facts-invalid\"");
    }
}
