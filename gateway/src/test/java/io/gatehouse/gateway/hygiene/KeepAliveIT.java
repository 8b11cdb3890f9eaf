package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayITSupport;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/1.1 keep-alive on the public listener through {@link StrictHttp1Codec}, over one raw TLS connection per test
 * (docs/design.md, "The request path"): requests pipelined behind a request with a body, and HEAD, are answered like any
 * other request, each answer framed for its own request, and the connection stays open for the next one. Every such
 * test ends with a GET on the same connection, which is answered only if the gateway kept the connection. A request
 * that asks for the connection to close gets it closed, and nothing pipelined behind it is read. An HTTP/1.0 client,
 * which cannot read chunked framing, gets an answer ended by the connection's close instead.
 */
class KeepAliveIT extends GatewayITSupport {

    private static final String GET_AFTER = "GET /after HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private ResponseReader open() throws IOException {
        return ResponseReader.open(gateway.pki(), gateway.httpsPort());
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("length", "Content-Length: 5\r\n\r\nabcde"),
                Arguments.of("chunked", "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void requestPipelinedBehindBodyThenBothAnsweredAndConnectionKept(String framing, String headersAndBody)
            throws IOException {
        try (ResponseReader connection = open()) {
            connection.write("POST /pipelined-" + framing + " HTTP/1.1\r\nHost: localhost\r\n" + headersAndBody
                    + "GET /behind-" + framing + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

            List<ResponseReader.Response> answers = List.of(connection.next(false), connection.next(false));

            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.status()).as(answer.head()).isEqualTo(200);
                assertThat(answer.values("connection")).as(answer.head()).doesNotContain("close");
            });
            assertThat(answers.get(0).body())
                    .contains("\"path\":\"/pipelined-" + framing + "\"", "\"body\":\"abcde\"");
            assertThat(answers.get(1).body()).contains("\"path\":\"/behind-" + framing + "\"");
            assertNextGetAnswered(connection);
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path() + " " + seen.body())
                .containsExactly("POST /pipelined-" + framing + " abcde", "GET /behind-" + framing + " ",
                        "GET /after ");
    }

    /**
     * The one way found to get a pipelined request dropped behind a body: the request asked for close. The server
     * then must not process any later request on the connection (RFC 9112, 9.6); Reactor Netty answers with
     * Connection: close and drops what follows (HttpTrafficHandler, "Dropping pipelined HTTP request"), as it would
     * without our codec. Also what closes after a 400 from the decoder or the HYGIENE stage.
     */
    @Test
    void requestPipelinedBehindBodyThatAskedForCloseThenNotReadAndConnectionClosed() throws IOException {
        try (ResponseReader connection = open()) {
            connection.write("POST /closing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close"
                    + "\r\n\r\nabcde" + "GET /behind-close HTTP/1.1\r\nHost: localhost\r\n\r\n");

            ResponseReader.Response answer = connection.next(false);

            assertThat(answer.status()).as(answer.head()).isEqualTo(200);
            assertThat(answer.values("connection")).as(answer.head()).containsExactly("close");
            assertThat(connection.closedByServer()).as("closed right after the answer").isTrue();
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path())
                .containsExactly("POST /closing");
    }

    /**
     * A HEAD answer ends at its blank line whatever its headers say (RFC 9112, 6.3, rule 1), so it never needs the
     * connection to close. Its headers should be the GET's (RFC 9110, 9.3.2), so a framing header in it describes
     * the GET's answer: Content-Length only with the GET's own length (RFC 9110, 8.6), and Transfer-Encoding only if
     * the GET's answer would be chunked, which may be left out (RFC 9112, 6.1). The echo upstream answers GET with a
     * Content-Length, and HEAD with neither it nor chunked framing the gateway could pass on: so neither header.
     */
    @Test
    void headThenAnsweredWithoutBodyOrChunkedFramingAndConnectionKept() throws IOException {
        try (ResponseReader connection = open()) {
            connection.write("HEAD /head HTTP/1.1\r\nHost: localhost\r\n\r\n");

            ResponseReader.Response answer = connection.next(true);

            assertThat(answer.status()).as(answer.head()).isEqualTo(200);
            assertThat(answer.values("connection")).as(answer.head()).doesNotContain("close");
            assertThat(answer.values("transfer-encoding")).as(answer.head()).isEmpty();
            assertNextGetAnswered(connection);
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path())
                .containsExactly("HEAD /head", "GET /after");
    }

    /** A Content-Length the gateway knows stays on the HEAD answer, equal to the GET's (RFC 9110, 8.6). */
    @Test
    void headWhenGatewayAnswersItselfThenSameContentLengthAsGetAndConnectionKept() throws IOException {
        String unrouted = " /nowhere HTTP/1.1\r\nHost: nowhere.localhost\r\n\r\n";
        try (ResponseReader connection = open()) {
            connection.write("GET" + unrouted + "HEAD" + unrouted);

            ResponseReader.Response get = connection.next(false);
            ResponseReader.Response head = connection.next(true);

            assertThat(get.status()).as(get.head()).isEqualTo(404);
            assertThat(head.status()).as(head.head()).isEqualTo(404);
            assertThat(head.values("content-length")).as(head.head()).isEqualTo(get.values("content-length"))
                    .singleElement().isNotEqualTo("0");
            assertThat(head.values("transfer-encoding")).as(head.head()).isEmpty();
            assertNextGetAnswered(connection);
        }
    }

    /**
     * A 100 Continue is not the answer to its request (RFC 9110, 15.2): the codec must still pair the final answer
     * with the POST and the next one with the HEAD, or the POST's body is dropped after its Content-Length was sent
     * and the HEAD's answer gets a chunked end; the client then reads one answer's bytes as another's.
     */
    @Test
    void headPipelinedBehindExpectContinueThenEachAnswerFramedForItsOwnRequest() throws IOException {
        try (ResponseReader connection = open()) {
            connection.write("POST /expecting HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 5\r\n\r\nabcde" + "HEAD /head-behind HTTP/1.1\r\nHost: localhost\r\n\r\n");

            ResponseReader.Response interim = connection.next(false);
            ResponseReader.Response post = connection.next(false);
            ResponseReader.Response head = connection.next(true);

            assertThat(interim.status()).as(interim.head()).isEqualTo(100);
            assertThat(post.status()).as(post.head()).isEqualTo(200);
            assertThat(post.body()).contains("\"path\":\"/expecting\"", "\"body\":\"abcde\"");
            assertThat(head.status()).as(head.head()).isEqualTo(200);
            assertThat(head.values("transfer-encoding")).as(head.head()).isEmpty();
            assertNextGetAnswered(connection);
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path())
                .containsExactly("POST /expecting", "HEAD /head-behind", "GET /after");
    }

    /**
     * Chunked framing is HTTP/1.1's: a server must not send it to an HTTP/1.0 request (RFC 9112, 6.1), whose client
     * would read the chunk sizes as the body. An upstream answer without a length then ends where the connection
     * closes (RFC 9112, 6.3, rule 8), as nginx answers HTTP/1.0.
     */
    static Stream<Arguments> http10ConnectionHeaders() {
        return Stream.of(Arguments.of("no Connection header", ""),
                Arguments.of("Connection: keep-alive", "Connection: keep-alive\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("http10ConnectionHeaders")
    void http10WhenUpstreamAnswersWithoutLengthThenBodyEndsAtCloseNotChunked(String label, String keepAlive)
            throws IOException {
        upstream.trickle(3, Duration.ofMillis(20));
        try (ResponseReader connection = open()) {
            connection.write("GET /streamed HTTP/1.0\r\nHost: localhost\r\n" + keepAlive + "\r\n");

            ResponseReader.Response answer = connection.next(false);

            assertThat(answer.status()).as(answer.head()).isEqualTo(200);
            assertThat(answer.values("transfer-encoding")).as(answer.head()).isEmpty();
            assertThat(answer.values("content-length")).as(answer.head()).isEmpty();
            assertThat(answer.body()).isEqualTo("part 1\npart 2\npart 3\n");
        }
        assertThat(upstream.received()).extracting(seen -> seen.method() + " " + seen.path())
                .containsExactly("GET /streamed");
    }

    /** An answer with a Content-Length is framed the same for HTTP/1.0, and the connection closes after it. */
    @Test
    void http10WhenUpstreamAnswersWithLengthThenLengthKeptAndConnectionClosed() throws IOException {
        try (ResponseReader connection = open()) {
            connection.write("GET /sized HTTP/1.0\r\nHost: localhost\r\n\r\n");

            ResponseReader.Response answer = connection.next(false);

            assertThat(answer.status()).as(answer.head()).isEqualTo(200);
            assertThat(answer.values("transfer-encoding")).as(answer.head()).isEmpty();
            assertThat(answer.values("content-length")).as(answer.head()).singleElement()
                    .isEqualTo(String.valueOf(answer.body().length()));
            assertThat(answer.body()).contains("\"path\":\"/sized\"");
            assertThat(connection.closedByServer()).as("an HTTP/1.0 connection ends after its answer").isTrue();
        }
    }

    private static void assertNextGetAnswered(ResponseReader connection) throws IOException {
        connection.write(GET_AFTER);
        ResponseReader.Response after = connection.next(false);
        assertThat(after.status()).as(after.head()).isEqualTo(200);
        assertThat(after.body()).contains("\"path\":\"/after\"");
    }
}
