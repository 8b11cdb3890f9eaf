package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.ProblemSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HYGIENE stage in the running gateway, over raw TLS sockets: what the client receives and that the echo
 * upstream saw nothing. Some malformed requests are refused by Netty's decoder (or {@link StrictHttp1Codec}) before
 * any WebFilter runs; the assertion is the same either way: a 400 and an untouched upstream. RequestFramingIT has the
 * smuggling attempts themselves.
 */
class HygieneIT extends GatewayITSupport {

    private RawHttp.Response raw(String requestLine, String... headers) {
        StringBuilder request = new StringBuilder(requestLine).append("\r\n");
        boolean hasHost = false;
        for (String header : headers) {
            request.append(header).append("\r\n");
            hasHost |= header.regionMatches(true, 0, "Host:", 0, 5);
        }
        if (!hasHost) {
            request.append("Host: localhost\r\n"); // the route's from has no port: the scheme's default

        }
        request.append("Connection: close\r\n\r\n");
        return RawHttp.send(gateway.pki(), gateway.httpsPort(), request.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2fb", "/a%2Fb", "/a%5cb", "/a%5Cb", "/a%252fb", "/a/%2e%2e/b", "/a/%2E%2E/b",
            "/a/.%2e/b", "/a/../b", "/a/./b", "/a/%2e/b", "/a%00b", "/a%0d%0ab", "/a%zz", "/a%", "//admin",
            "/admin;jsessionid=x", "/a%c0%af", "/a\\b", "/a%ef%bc%8f", "/caf\u00c3\u00a9", "/a#frag"})
    void pathWhenAmbiguousThen400AndUpstreamSawNothing(String path) {
        RawHttp.Response response = raw("GET " + path + " HTTP/1.1");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void pathWhenRejectedThenProblemJsonQuotesWhatWasFound() {
        RawHttp.Response response = raw("GET /files/%2E%2E/etc HTTP/1.1");

        assertThat(response.head()).containsIgnoringCase("content-type: application/problem+json");
        assertThat(response.text()).contains("found \\\"..\\\"", "hygiene-dot-dot");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void pathWhenRejectedThenTheOneProblemSchemaOverHttp11AndHttp2() {
        for (GatewayClient client : java.util.List.of(client(), client().http2())) {
            GatewayClient.Response response = client.get("/files/%2E%2E/etc", Map.of("Accept", "application/json"));

            ProblemSchema.assertProblem(response, 400, "hygiene-dot-dot");
            assertThat(response.json().has("route")).isFalse();
            assertThat(response.json().path("reasons").get(0).asText()).contains("found \"..\"");
        }
        assertThat(upstream.received()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Content-Length: 5|Content-Length: 6",
            "Content-Length: 4|Transfer-Encoding: chunked",
            "Transfer-Encoding: chunked|Content-Length: 4",
            "Content-Length: 5, 5|X-A: b",
            "Content-Length: -5|X-A: b",
            "Transfer-Encoding: gzip, chunked|X-A: b",
            "Transfer-Encoding: chunked|Transfer-Encoding: identity",
            "Host: localhost|Host: evil.example",
            "X-A: b\u0000c|X-B: d"})
    void headersWhenFramingOrHostAmbiguousThen400AndUpstreamSawNothing(String first, String second) {
        String host = first.startsWith("Host") ? first : "Host: localhost";
        RawHttp.Response response = first.startsWith("Host")
                ? raw("POST /x HTTP/1.1", first, second)
                : raw("POST /x HTTP/1.1", host, first, second);

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void absoluteFormTargetWhenHostDisagreesThen400() {
        RawHttp.Response response = raw("GET https://localhost/x HTTP/1.1", "Host: evil.example");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void cleanRequestWhenSpoofedIdentityHeadersThenUpstreamSeesNoneOfThem() {
        RawHttp.Response response = raw("GET /%61pi/x?q=%2F HTTP/1.1", "X-Gatehouse-Assertion: forged",
                "x-gatehouse-user: pat", "X_Gatehouse_Email: pat@corp.example", "X-Forwarded-For: 1.2.3.4",
                "Forwarded: for=1.2.3.4", "X-Original-URL: /admin");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.path()).isEqualTo("/%61pi/x");
        assertThat(seen.headers().keySet()).noneMatch(name -> name.replace('_', '-').startsWith("x-gatehouse-user")
                || name.replace('_', '-').startsWith("x-gatehouse-email") || name.equals("x-original-url"));
        assertThat(seen.header("x-gatehouse-assertion")).isNotEqualTo("forged");
        assertThat(seen.header("x-forwarded-for")).isNotEqualTo("1.2.3.4").doesNotContain("1.2.3.4");
        assertThat(seen.header("forwarded")).satisfiesAnyOf(v -> assertThat(v).isNull(),
                v -> assertThat(v).doesNotContain("1.2.3.4"));
    }

    /**
     * Issue 20: some upstream frameworks route by X-Original-URL / X-Rewrite-URL and take the method from
     * X-Original-Method (the headers nginx's auth_request recipes set), which would bypass the path and method the
     * policy decided on. None of them may reach an upstream, over HTTP/1.1 or HTTP/2.
     */
    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/2"})
    void requestWhenPathOrMethodOverrideHeadersThenUpstreamSeesNone(String protocol) {
        GatewayClient client = protocol.equals("HTTP/2") ? client().http2() : client();

        var response = client.get("/api/items", Map.of("Accept", "application/json", "X-Original-URL", "/admin",
                "X-Original-Method", "DELETE", "X-Rewrite-URL", "/admin"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo(protocol.equals("HTTP/2") ? "HTTP/2.0" : "HTTP/1.1");
        assertThat(upstream.last().headers().keySet()).as("headers the upstream received")
                .noneMatch(name -> name.equalsIgnoreCase("x-original-url")
                        || name.equalsIgnoreCase("x-original-method") || name.equalsIgnoreCase("x-rewrite-url"));
    }

    @Test
    void cleanRequestThenPassesUnharmed() {
        var response = client().get("/api/items?x=1", Map.of("Accept", "application/json"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/api/items");
        assertThat(upstream.last().query()).isEqualTo("x=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a/%2e%2e/b", "/a%00b", "//admin", "/a/./b"})
    void http2WhenPathAmbiguousThen400AndUpstreamSawNothing(String path) {
        var response = client().http2().get(path, Map.of("Accept", "application/json"));

        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void http2WhenSpoofedGatehouseHeaderThenUpstreamGetsOnlyTheGatewaysAssertion() {
        var response = client().http2().get("/h2", Map.of("X-Gatehouse-Assertion", "forged",
                "x_gatehouse_user", "pat", "X-Forwarded-For", "1.2.3.4"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().header("x-gatehouse-assertion")).isNotEqualTo("forged").startsWith("ey");
        assertThat(upstream.last().hasHeader("x_gatehouse_user")).isFalse();
        assertThat(upstream.last().header("x-forwarded-for")).doesNotContain("1.2.3.4");
    }
}
