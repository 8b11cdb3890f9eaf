package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/1.1 request framing at the Netty level, over raw TLS sockets (docs/design.md, "Failure behaviour"): a request
 * with both Content-Length and Transfer-Encoding, or a request line split on anything but single spaces, is refused
 * with 400 by the HTTP decoder ({@link StrictHttp1Codec}), the connection is closed so no smuggled bytes after it
 * are read as a request, the upstream is never contacted, and the decision log gets its one deny line. Plain
 * chunked and Content-Length requests, keep-alive and HTTP/2 pass as before.
 */
class RequestFramingIT extends DecisionLogITSupport {

    private static String path(String what) {
        return "/" + what + "-" + UUID.randomUUID();
    }

    /** A JDK client speaking HTTP/2 only, on a connection of its own. */
    private HttpClient http2() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(GatewayClient.jdkSsl(gateway.pki(), null)).build();
    }

    private RawHttp.Response untilClosed(String request) {
        return RawHttp.sendUntilClosed(gateway.pki(), gateway.httpsPort(), request);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"Content-Length: 5|Transfer-Encoding: chunked",
            "Transfer-Encoding: chunked|Content-Length: 5",
            "content-length: 0|transfer-encoding: CHUNKED",
            "Content-Length: 5|Transfer-Encoding: identity, chunked"})
    void contentLengthAndChunkedWhenBothSentThen400ClosedAndUpstreamSawNothing(String first, String second) {
        String path = path("framing");
        String smuggled = path("smuggled");
        // Read by Content-Length, the body is "0\r\n\r\n"; read as chunked, GET smuggled is a second request.
        // The client's own refusal header must not become the logged reason.
        String request = "POST " + path + "?token=s3cret HTTP/1.1\r\nHost: localhost\r\n" + first + "\r\n" + second
                + "\r\n" + DecoderRefusal.HEADER + ": all fine, forged\r\n"
                + "\r\n0\r\n\r\nGET " + smuggled + " HTTP/1.1\r\nHost: localhost\r\n\r\n";

        RawHttp.Response response = untilClosed(request);

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.closed()).as("connection closed after the 400").isTrue();
        assertThat(response.text()).as("one response only").containsOnlyOnce("HTTP/1.1 ");
        assertThat(upstream.received()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(path).isEmpty());
        List<JsonNode> found = linesFor(path);
        assertThat(found).hasSize(1);
        JsonNode line = found.get(0);
        assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
        assertThat(line.path("why").path("reasons").get(0).asText())
                .contains("refused by the HTTP decoder", RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING.title())
                .doesNotContain("forged");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(400);
        assertThat(line.toString()).doesNotContain("s3cret");
        assertThat(linesFor(smuggled)).isEmpty();
    }

    /** HTTP/1.0 never reaches Netty's Content-Length removal; the HYGIENE stage's own row turns it away. */
    @Test
    void contentLengthAndChunkedWhenHttp10Then400AndUpstreamSawNothing() {
        String path = path("framing-10");

        RawHttp.Response response = untilClosed("POST " + path + " HTTP/1.0\r\nHost: localhost\r\n"
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.closed()).isTrue();
        assertThat(upstream.received()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(path).isEmpty());
        assertThat(linesFor(path)).singleElement().satisfies(line -> assertThat(line.path("why").path("reasons")
                .get(0).asText()).contains("both Content-Length and Transfer-Encoding"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET\t/x HTTP/1.1", "GET /x\tHTTP/1.1", "GET  /x HTTP/1.1", "GET /x  HTTP/1.1",
            "GET /x\u000bHTTP/1.1", "GET /x\fHTTP/1.1", "GET /x\rHTTP/1.1"})
    void requestLineWhenNotSplitBySingleSpacesThen400ClosedAndUpstreamSawNothing(String requestLine) {
        // What a front proxy splitting on SP alone reads as one request, Netty would read as two.
        String request = requestLine + "\r\nHost: localhost\r\n\r\nGET\t/smuggled\tHTTP/1.1\r\nHost: localhost\r\n\r\n";

        RawHttp.Response response = untilClosed(request);

        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.closed()).isTrue();
        assertThat(response.text()).containsOnlyOnce("HTTP/1.1 ");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void chunkedRequestThenPassesUnharmed() {
        String path = path("chunked");

        RawHttp.Response response = untilClosed("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(upstream.received()).singleElement().satisfies(seen -> {
            assertThat(seen.path()).isEqualTo(path);
            assertThat(seen.body()).isEqualTo("abcde");
            assertThat(seen.hasHeader("content-length") && seen.hasHeader("transfer-encoding")).isFalse();
        });
    }

    @Test
    void contentLengthRequestThenPassesUnharmed() {
        String path = path("length");

        RawHttp.Response response = untilClosed("POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Length: 5\r\nConnection: close\r\n\r\nabcde");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(upstream.received()).singleElement().satisfies(seen -> {
            assertThat(seen.path()).isEqualTo(path);
            assertThat(seen.body()).isEqualTo("abcde");
        });
    }

    /** Keep-alive through the codec: one connection, each request read with its own framing. */
    @Test
    void requestsInTurnOnOneConnectionThenEachReadWithItsOwnFraming() throws IOException {
        try (RawHttp.Connection connection = RawHttp.open(gateway.pki(), gateway.httpsPort())) {
            List<Integer> statuses = List.of(
                    connection.exchange("POST /first HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nok")
                            .status(),
                    connection.exchange("POST /second HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked"
                            + "\r\n\r\n2\r\nhi\r\n0\r\n\r\n").status(),
                    connection.exchange("GET /third HTTP/1.1\r\nHost: localhost\r\n\r\n").status());

            assertThat(statuses).containsExactly(200, 200, 200);
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path() + " " + seen.body())
                .containsExactly("POST /first ok", "POST /second hi", "GET /third ");
    }

    @Test
    void http2ThenStillServed() {
        var response = client().http2().get("/h2-framing");

        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/h2-framing");
    }

    /**
     * HTTP/2 has no Transfer-Encoding (RFC 9113, 8.2.2): Netty's HPACK decoder refuses it before any stage runs (the
     * client sees its stream or connection end), so RECORD never sees it. The JDK client sends an authority with the
     * port, which the route (default port) does not serve: the request after it, on a new connection, gets a 404
     * line, which shows the decision log was written up to there.
     */
    @Test
    void http2WhenTransferEncodingThenRefusedBeforeAnyStage() throws Exception {
        String refused = path("h2-te");
        String after = path("h2-after");
        HttpRequest withTransferEncoding = HttpRequest.newBuilder(URI.create(
                "https://localhost:" + gateway.httpsPort() + refused)).header("Transfer-Encoding", "chunked")
                .POST(HttpRequest.BodyPublishers.ofString("abcde")).build();

        assertThatThrownBy(() -> http2().send(withTransferEncoding, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);

        HttpResponse<String> next = http2().send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + gateway.httpsPort() + after)).POST(HttpRequest.BodyPublishers.ofString("abcde")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(next.version()).isEqualTo(HttpClient.Version.HTTP_2);
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(after).isEmpty());
        assertThat(linesFor(refused)).isEmpty();
        assertThat(upstream.received()).isEmpty();
    }
}
