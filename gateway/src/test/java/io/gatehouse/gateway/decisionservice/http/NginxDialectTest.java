package io.gatehouse.gateway.decisionservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.decision.Verdict;
import io.gatehouse.gateway.exchange.RequestFacts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** nginx auth_request: facts from X-Original-URL/-Method and X-Real-IP; answers only 200, 401 and 403. */
class NginxDialectTest {

    private final NginxDialect nginx = new NginxDialect();

    private static AuthzCheck check(String... nameValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        headers.set(HttpHeaders.HOST, "gatehouse-authz:9443");
        return new AuthzCheck("GET", "", null, headers, "127.0.0.1");
    }

    @Test
    void factsWhenOriginalUrlThenSchemeHostPathQueryAsSent() throws Exception {
        RequestFacts facts = nginx.facts(check("X-Original-URL", "https://App.Example:8443/a/%2e%2e/admin?q=%2F",
                "X-Original-Method", "post", "X-Real-IP", "192.0.2.10", "Cookie", "__Host-gatehouse=s1",
                "Accept", "text/html"));

        assertThat(facts.method()).isEqualTo("POST");
        assertThat(facts.scheme()).isEqualTo("https");
        assertThat(facts.host()).isEqualTo("app.example:8443");
        assertThat(facts.rawPath()).isEqualTo("/a/%2e%2e/admin");
        assertThat(facts.rawQuery()).isEqualTo("q=%2F");
        assertThat(facts.sourceIp()).isEqualTo("192.0.2.10");
        assertThat(facts.header("cookie")).isEqualTo("__Host-gatehouse=s1");
        assertThat(facts.header("accept")).isEqualTo("text/html");
        assertThat(facts.headers().containsKey("X-Original-URL")).isFalse();
        assertThat(facts.header("host")).isEqualTo("app.example:8443");
    }

    @Test
    void factsWhenForwardedClientCertThenCarriedForTheDeviceStage() throws Exception {
        RequestFacts facts = nginx.facts(check("X-Original-URL", "https://app.example/", "X-Original-Method", "GET",
                "X-Real-IP", "192.0.2.10", "X-Forwarded-Client-Cert", "-----BEGIN%20CERTIFICATE-----%0A"));

        assertThat(facts.forwardedCertificate()).isEqualTo("-----BEGIN%20CERTIFICATE-----%0A");
        assertThat(facts.clientCertificate()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/relative/path", "ftp://app.example/", "https:///nohost", "https://user@app.example/",
            "https://app.example?x", "https://app example/"})
    void factsWhenOriginalUrlNotAbsoluteHttpThenInvalid(String url) {
        assertThatThrownBy(() -> nginx.facts(check("X-Original-URL", url, "X-Original-Method", "GET",
                "X-Real-IP", "192.0.2.10")))
                .isInstanceOf(FactsInvalidException.class).hasMessageContaining("X-Original-URL");
    }

    @Test
    void factsWhenOriginalUrlHasNoPathThenRoot() throws Exception {
        assertThat(nginx.facts(check("X-Original-URL", "https://app.example", "X-Original-Method", "GET",
                "X-Real-IP", "192.0.2.10")).rawPath()).isEqualTo("/");
    }

    @Test
    void factsWhenAFactIsMissingThenInvalidNamingIt() {
        assertThatThrownBy(() -> nginx.facts(check("X-Original-URL", "https://app.example/", "X-Real-IP", "1.2.3.4")))
                .hasMessageContaining("X-Original-Method");
        assertThatThrownBy(() -> nginx.facts(check("X-Original-URL", "https://app.example/",
                "X-Original-Method", "GET"))).hasMessageContaining("X-Real-IP");
        assertThatThrownBy(() -> nginx.facts(check("X-Original-Method", "GET", "X-Real-IP", "1.2.3.4")))
                .hasMessageContaining("X-Original-URL");
        assertThatThrownBy(() -> nginx.facts(check("X-Original-URL", "https://app.example/",
                "X-Original-Method", "GET", "X-Real-IP", "evil.example"))).hasMessageContaining("not an IP");
        assertThatThrownBy(() -> nginx.facts(check("X-Original-URL", "https://a.example/", "X-Original-URL",
                "https://b.example/", "X-Original-Method", "GET", "X-Real-IP", "1.2.3.4")))
                .hasMessageContaining("2 X-Original-URL headers");
    }

    @Test
    void answerWhenAllowThen200WithAssertionRequestIdAndRule() {
        AuthzAnswer answer = nginx.answer(Outcomes.allow(), Outcomes.facts(null));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("X-Gatehouse-Assertion")).isEqualTo("h.p.s");
        assertThat(answer.headers().getFirst("X-Gatehouse-Request-Id")).isEqualTo(Outcomes.ID);
        assertThat(answer.headers().getFirst("X-Gatehouse-Rule")).isEqualTo("staff");
        assertThat(answer.loggedStatus()).isEqualTo(200);
    }

    @Test
    void answerWhenAllowThenTheClientsCookiesWithoutGatehousesForTheUpstream() {
        AuthzAnswer mixed = nginx.answer(Outcomes.allow(), Outcomes.withCookies(
                "__Host-gatehouse=s1; theme=dark", "__Host-gatehouse-login=l1;lang=en"));
        AuthzAnswer onlyOurs = nginx.answer(Outcomes.allow(), Outcomes.withCookies("__Host-gatehouse=s1"));
        AuthzAnswer none = nginx.answer(Outcomes.allow(), Outcomes.withCookies());

        assertThat(mixed.headers().getFirst("X-Gatehouse-Cookie")).isEqualTo("theme=dark; lang=en");
        assertThat(onlyOurs.headers().getFirst("X-Gatehouse-Cookie")).isEmpty();
        assertThat(none.headers().containsKey("X-Gatehouse-Cookie")).isFalse();
    }

    @Test
    void answerWhenBrowserLoginThen401WithLoginUrlAndCookieLogged302() {
        AuthzAnswer answer = nginx.answer(Outcomes.login("__Host-gatehouse-login=l1; Path=/; Secure; HttpOnly"),
                Outcomes.facts("text/html"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().getFirst("X-Gatehouse-Login")).isEqualTo("https://idp.example/auth?state=s");
        assertThat(answer.headers().getFirst(HttpHeaders.SET_COOKIE)).startsWith("__Host-gatehouse-login=l1");
        assertThat(answer.loggedStatus()).isEqualTo(302);
        assertThat(answer.outcome()).isEqualTo("login");
    }

    @Test
    void answerWhenDeniedThen403WithVisibleReasonsInAHeader() {
        AuthzAnswer answer = nginx.answer(Outcomes.refused(Verdict.Kind.DENIED, HttpStatus.FORBIDDEN,
                List.of("group finance required", "caf\u00e9\r\nX-Evil: 1"), null, null), Outcomes.facts(null));

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.headers().getFirst("X-Gatehouse-Denied"))
                .isEqualTo("group finance required; caf???X-Evil: 1");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"code\":\"denied\"");
    }

    @Test
    void answerWhenDeniedReasonsLongThenHeaderCappedAt1KiB() {
        AuthzAnswer answer = nginx.answer(Outcomes.refused(Verdict.Kind.DENIED, HttpStatus.FORBIDDEN,
                List.of("x".repeat(5000)), null, null), Outcomes.facts(null));

        assertThat(answer.headers().getFirst("X-Gatehouse-Denied")).hasSize(1024);
    }

    @Test
    void answerWhenUnauthenticatedThen401WithWwwAuthenticate() {
        AuthzAnswer answer = nginx.answer(Outcomes.refused(Verdict.Kind.UNAUTHENTICATED, HttpStatus.UNAUTHORIZED,
                List.of(), "Bearer realm=\"gatehouse\"", null), Outcomes.facts(null));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer realm=\"gatehouse\"");
    }

    @ParameterizedTest
    @CsvSource({"NO_ROUTE, NOT_FOUND, 404", "REJECTED, BAD_REQUEST, 400", "UNAVAILABLE, SERVICE_UNAVAILABLE, 503"})
    void answerWhenNot401Or403Then403WithTheRealStatusInAHeader(Verdict.Kind kind, HttpStatus status, int real) {
        AuthzAnswer answer = nginx.answer(Outcomes.refused(kind, status, List.of(), null,
                real == 503 ? "5" : null), Outcomes.facts(null));

        assertThat(answer.status()).as("nginx makes a 500 of anything else").isEqualTo(403);
        assertThat(answer.headers().getFirst("X-Gatehouse-Status")).isEqualTo(Integer.toString(real));
        assertThat(answer.loggedStatus()).isEqualTo(real);
        if (real == 503) {
            assertThat(answer.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        }
    }

    @Test
    void invalidWhenFactsMissingThen403WithStatus400AndTheCode() {
        AuthzAnswer answer = nginx.invalid(new FactsInvalidException("the check has no X-Original-URL header"),
                Outcomes.ID);

        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.headers().getFirst("X-Gatehouse-Status")).isEqualTo("400");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("authz-facts-invalid")
                .contains("X-Original-URL");
    }
}
