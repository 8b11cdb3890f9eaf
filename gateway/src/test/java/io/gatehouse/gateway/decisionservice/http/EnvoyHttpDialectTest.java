package io.gatehouse.gateway.decisionservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.exchange.RequestFacts;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Envoy HTTP ext_authz: the check is the original request with the path prefix; 200 allows. */
class EnvoyHttpDialectTest {

    private final EnvoyHttpDialect envoy = new EnvoyHttpDialect();

    private static AuthzCheck check(String method, String path, String query, String... nameValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return new AuthzCheck(method, path, query, headers, "127.0.0.1");
    }

    @Test
    void factsWhenCheckThenMethodHostPathMinusPrefixAndQuery() throws Exception {
        RequestFacts facts = envoy.facts(check("DELETE", "/api/items/%2F1", "a=b", "Host", "app.example",
                "x-forwarded-proto", "https", "x-forwarded-for", "192.0.2.10",
                "x-forwarded-client-cert", "By=spiffe://x;Cert=\"abc\""));

        assertThat(facts.method()).isEqualTo("DELETE");
        assertThat(facts.host()).isEqualTo("app.example");
        assertThat(facts.rawPath()).isEqualTo("/api/items/%2F1");
        assertThat(facts.rawQuery()).isEqualTo("a=b");
        assertThat(facts.sourceIp()).isEqualTo("192.0.2.10");
        assertThat(facts.forwardedCertificate()).isEqualTo("By=spiffe://x;Cert=\"abc\"");
    }

    @Test
    void factsWhenPrefixAloneThenRoot() throws Exception {
        assertThat(envoy.facts(check("GET", "", null, "Host", "app.example", "x-forwarded-proto", "https",
                "x-forwarded-for", "192.0.2.10")).rawPath()).isEqualTo("/");
    }

    @Test
    void factsWhenNoForwardedProtoThenInvalid() {
        assertThatThrownBy(() -> envoy.facts(check("GET", "/", null, "Host", "app.example",
                "x-forwarded-for", "192.0.2.10"))).isInstanceOf(FactsInvalidException.class)
                .hasMessageContaining("X-Forwarded-Proto");
    }

    @Test
    void answerWhenAllowThenInboundGatehouseHeadersListedForRemoval() throws Exception {
        RequestFacts facts = envoy.facts(check("GET", "/", null, "Host", "app.example", "x-forwarded-proto", "https",
                "x-forwarded-for", "192.0.2.10", "X-Gatehouse-User", "forged", "x_gatehouse_email", "forged",
                "X-Gatehouse-Assertion", "forged"));

        AuthzAnswer answer = envoy.answer(Outcomes.allow(), facts);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().getFirst("X-Gatehouse-Assertion")).isEqualTo("h.p.s");
        assertThat(answer.headers().getFirst("x-envoy-auth-headers-to-remove"))
                .isEqualTo("x-gatehouse-user,x_gatehouse_email");
    }

    @Test
    void answerWhenAllowThenCookieWithoutGatehousesOrRemoved() {
        AuthzAnswer mixed = envoy.answer(Outcomes.allow(), Outcomes.withCookies("__Host-gatehouse=s1; theme=dark"));
        AuthzAnswer onlyOurs = envoy.answer(Outcomes.allow(), Outcomes.withCookies("__Host-gatehouse=s1"));

        assertThat(mixed.headers().getFirst("cookie")).isEqualTo("theme=dark");
        assertThat(onlyOurs.headers().getFirst("cookie")).isNull();
        assertThat(onlyOurs.headers().getFirst("x-envoy-auth-headers-to-remove")).isEqualTo("cookie");
    }
}
