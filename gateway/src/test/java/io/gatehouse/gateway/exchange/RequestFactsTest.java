package io.gatehouse.gateway.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** The facts of a described request: host and port as addressed, the canonical host the assertion binds. */
class RequestFactsTest {

    private static RequestFacts facts(String scheme, String host) {
        HttpHeaders headers = new HttpHeaders();
        headers.add("User-Agent", "curl/8");
        return new RequestFacts("get", scheme, host, "/a%2Fb", "x=1", headers, "192.0.2.1", null, null, null);
    }

    @Test
    void factsWhenDefaultPortNamedThenCanonicalHostDropsIt() {
        RequestFacts facts = facts("HTTPS", "App.Example:443");

        assertThat(facts.method()).isEqualTo("GET");
        assertThat(facts.host()).isEqualTo("app.example:443");
        assertThat(facts.hostName()).isEqualTo("app.example");
        assertThat(facts.explicitPort()).isEqualTo(443);
        assertThat(facts.canonicalHost()).isEqualTo("app.example");
        assertThat(facts.origin()).isEqualTo("https://app.example");
        assertThat(facts.url()).isEqualTo("https://app.example/a%2Fb?x=1");
        assertThat(facts.userAgent()).isEqualTo("curl/8");
    }

    @Test
    void factsWhenOtherPortOrIpv6ThenKept() {
        assertThat(facts("https", "app.example:8443").canonicalHost()).isEqualTo("app.example:8443");
        assertThat(facts("http", "app.example:80").canonicalHost()).isEqualTo("app.example");
        assertThat(facts("https", "[::1]").hostName()).isEqualTo("[::1]");
        assertThat(facts("https", "[::1]").explicitPort()).isEqualTo(-1);
        assertThat(facts("https", "[::1]:9443").explicitPort()).isEqualTo(9443);
    }

    @Test
    void headersWhenFactsBuiltThenReadOnlyCopy() {
        HttpHeaders headers = new HttpHeaders();
        RequestFacts facts = new RequestFacts("GET", "https", "a", "/", null, headers, "192.0.2.1", null, null, null);
        headers.add("Cookie", "late=1");

        assertThat(facts.headers().containsKey("Cookie")).as("a copy, not a view of the caller's map").isFalse();
    }
}
