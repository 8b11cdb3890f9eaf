package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.ProblemSchema;
import io.gatehouse.gateway.testing.RawConnection;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The public listener's timeouts, black-box over raw connections with small configured values (docs/design.md, "Failure
 * behaviour"): a client that opens TCP and sends nothing or half a ClientHello, a TLS connection that goes quiet
 * (HTTP/1.1 and HTTP/2), a request head dripped or left half sent, a body left half sent or dripped. Each is closed
 * within its configured time plus {@link #MARGIN} (a loaded build host), and a well-behaved keep-alive client whose
 * requests are spaced below the idle timeout, but well above the header timeout, keeps its connection. A request
 * whose head arrived and whose body did not is logged once, as the client's timeout (408), not as the upstream's.
 */
class ListenerTimeoutsIT extends DecisionLogITSupport {

    private static final Duration HANDSHAKE = Duration.ofSeconds(3);
    private static final Duration HEADER = Duration.ofMillis(1500);
    private static final Duration IDLE = Duration.ofSeconds(4);
    private static final Duration BODY_READ = Duration.ofSeconds(1);
    private static final Duration BODY = Duration.ofSeconds(3);
    private static final Duration MARGIN = Duration.ofSeconds(3);

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.listener.tls-handshake-timeout", HANDSHAKE.toMillis() + "ms")
                .property("gatehouse.listener.header-read-timeout", HEADER.toMillis() + "ms")
                .property("server.netty.idle-timeout", IDLE.toMillis() + "ms")
                .property("gatehouse.listener.body-read-timeout", BODY_READ.toMillis() + "ms")
                .property("gatehouse.listener.body-timeout", BODY.toMillis() + "ms");
    }

    private RawConnection http11() throws IOException {
        return RawConnection.http11(gateway.pki(), gateway.httpsPort());
    }

    @Test
    void tcpWhenNothingSentThenClosedWithinHandshakeTimeout() throws Exception {
        double before = timeouts("tls-handshake");
        try (RawConnection connection = RawConnection.tcp(gateway.httpsPort())) {
            assertThat(connection.closedWithin(HANDSHAKE.plus(MARGIN))).isTrue();
        }
        assertThat(timeouts("tls-handshake")).isGreaterThan(before);
    }

    @Test
    void tlsWhenClientHelloHalfSentThenClosedWithinHandshakeTimeout() throws IOException {
        try (RawConnection connection = RawConnection.tcp(gateway.httpsPort())) {
            // A handshake record header announcing 512 bytes, then the start of a ClientHello, then nothing.
            connection.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});

            assertThat(connection.closedWithin(HANDSHAKE.plus(MARGIN))).isTrue();
        }
    }

    @Test
    void http11WhenIdleAfterHandshakeThenClosedWithinIdleTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            assertThat(connection.closedWithin(IDLE.plus(MARGIN))).isTrue();
            assertThat(connection.received()).isEmpty();
        }
    }

    @Test
    void http11WhenIdleAfterAnAnswerThenClosedWithinIdleTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            connection.write("GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(connection.closedWithin(IDLE.plus(MARGIN))).isTrue();
            assertThat(connection.received()).startsWith("HTTP/1.1 200 ").contains("\"path\":\"/one\"");
        }
    }

    /** Spaced by more than the header timeout: that clock runs only while a request head is arriving. */
    @Test
    void http11WhenRequestsSpacedBelowIdleTimeoutThenAllAnsweredOnOneConnection() throws IOException {
        Duration spacing = IDLE.minus(Duration.ofMillis(1500));
        try (RawConnection connection = http11()) {
            for (int i = 0; i < 3; i++) {
                connection.write("GET /kept-" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(answered(connection, "/kept-" + i)).as("request %d answered", i).isTrue();
                assertThat(connection.closedWithin(spacing)).as("closed before request %d's spacing ended", i)
                        .isFalse();
            }
            assertThat(connection.received().split("HTTP/1.1 200 ", -1)).hasSize(4);
        }
        assertThat(upstream.received()).extracting(seen -> seen.path())
                .containsExactly("/kept-0", "/kept-1", "/kept-2");
    }

    /** One byte every 300 ms keeps any idle clock from firing; the whole head must still arrive in time. */
    @Test
    void http11WhenHeaderDrippedThenAnswered408AndClosedWithinHeaderTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            connection.write("GET /dripped HTTP/1.1\r\nHost: localhost\r\n");
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                closed = dripOrClosed(connection, "x", Duration.ofMillis(300));
            }

            assertThat(closed).as("closed while dripping").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER.plus(MARGIN));
            assertThat(connection.received()).startsWith("HTTP/1.1 408 ");
        }
        assertThat(upstream.received()).isEmpty();
        // No request reached RECORD, and the 408 is no decoder refusal (that hook would log a line without a path).
        assertThat(lines.list).map(event -> parse(event.getFormattedMessage()))
                .noneMatch(line -> "/dripped".equals(line.at("/what/path").asText())
                        || line.at("/result/status").asInt() == 408 && line.at("/what/path").isNull());
    }

    @Test
    void http11WhenHeaderHalfSentThenAnswered408AndClosedWithinHeaderTimeout() throws Exception {
        double before = timeouts("request-head");
        try (RawConnection connection = http11()) {
            connection.write("GET /half HTTP/1.1\r\nHo");

            assertThat(connection.closedWithin(HEADER.plus(MARGIN))).isTrue();
            assertThat(connection.received()).startsWith("HTTP/1.1 408 ");
        }
        assertThat(upstream.received()).isEmpty();
        assertThat(timeouts("request-head")).isGreaterThan(before);
    }

    /** The second request's head is half sent behind a complete first request: the first is answered, then 408. */
    @Test
    void http11WhenNextHeaderHalfSentAfterAnAnswerThenClosedWithinHeaderTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            connection.write("GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(connection.closedWithin(Duration.ofMillis(500))).isFalse();
            connection.write("GET /second HTTP/1.1\r\nHo");

            assertThat(connection.closedWithin(HEADER.plus(MARGIN))).isTrue();
            assertThat(connection.received()).startsWith("HTTP/1.1 200 ").contains("HTTP/1.1 408 ");
        }
    }

    @Test
    void http11WhenBodyHalfSentThenClosedWithinBodyReadTimeout() throws Exception {
        double before = timeouts("request-body");
        try (RawConnection connection = http11()) {
            connection.write("POST /half-body HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc");

            assertThat(connection.closedWithin(BODY_READ.plus(MARGIN))).isTrue();
            assertThat(connection.received()).doesNotStartWith("HTTP/1.1 200 ");
        }
        assertThat(onlyLineForPath("/half-body").at("/result/status").asInt()).isEqualTo(408);
        assertThat(timeouts("request-body")).isGreaterThan(before);
    }

    /** The 408 is written in the one problem schema (docs/design.md, "Problem answers"), with its request id. */
    @Test
    void http11WhenBodyHalfSentThen408InTheOneProblemSchema() throws Exception {
        try (RawConnection connection = http11()) {
            connection.write("POST /half-body-problem HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + "Content-Length: 10\r\n\r\nabc");

            assertThat(connection.closedWithin(BODY_READ.plus(MARGIN))).isTrue();
            String received = connection.received();
            assertThat(received).startsWith("HTTP/1.1 408 ");
            String head = received.substring(0, received.indexOf("\r\n\r\n"));
            JsonNode body = new ObjectMapper().readTree(received.substring(head.length() + 4));
            ProblemSchema.assertProblem(headerOf(head, "content-type"), body, 408, "http-408",
                    headerOf(head, "x-request-id"));
        }
    }

    private static String headerOf(String head, String name) {
        return head.lines().filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).trim()).findFirst().orElse("");
    }

    /** Each byte comes before the read timeout; the whole body must still arrive within the body timeout. */
    @Test
    void http11WhenBodyDrippedThenClosedWithinBodyTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            connection.write("POST /dripped-body HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n");
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                closed = dripOrClosed(connection, "b", Duration.ofMillis(300));
            }

            assertThat(closed).as("closed while dripping").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BODY.plus(MARGIN));
            assertThat(connection.received()).doesNotStartWith("HTTP/1.1 200 ");
        }
        assertThat(onlyLineForPath("/dripped-body").at("/result/status").asInt()).isEqualTo(408);
    }

    /** Answered without its body being read (no route for the host): the rest may not trickle in for ever. */
    @Test
    void http11WhenUnreadBodyDrippedAfterAnswerThenClosedWithinBodyTimeout() throws IOException {
        try (RawConnection connection = http11()) {
            connection.write("POST /unread HTTP/1.1\r\nHost: nowhere.localhost\r\nContent-Length: 100\r\n\r\n");
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                closed = dripOrClosed(connection, "b", Duration.ofMillis(300));
            }

            assertThat(closed).as("closed while dripping").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BODY.plus(MARGIN));
            assertThat(connection.received()).startsWith("HTTP/1.1 404 ");
        }
    }

    @Test
    void http2WhenIdleAfterPrefaceThenClosedWithinIdleTimeout() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            assertThat(connection.closedWithin(IDLE.plus(MARGIN))).isTrue();
        }
    }

    @Test
    void http2WhenIdleAfterAnAnswerThenClosedWithinIdleTimeout() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            connection.headers(1, request("GET", "/h2-one"), true);
            assertThat(connection.responseHeaders(1).status().toString()).isEqualTo("200");

            assertThat(connection.closedWithin(IDLE.plus(MARGIN))).isTrue();
        }
    }

    /**
     * A request in progress is not idle, whoever is slow: an HTTP/2 client that sends nothing while it waits for a
     * slow upstream keeps its connection (Reactor Netty's idle timeout on HTTP/2 counts only reads).
     */
    @Test
    void http2WhenUpstreamSlowerThanIdleTimeoutThenAnswered() throws IOException {
        upstream.slow(IDLE.plus(Duration.ofSeconds(1)));
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            connection.headers(1, request("GET", "/h2-slow"), true);

            assertThat(connection.responseHeaders(1).status().toString()).isEqualTo("200");
        }
    }

    @Test
    void http11WhenUpstreamSlowerThanIdleTimeoutThenAnswered() throws IOException {
        upstream.slow(IDLE.plus(Duration.ofSeconds(1)));
        try (RawConnection connection = http11()) {
            connection.write("GET /h1-slow HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(connection.closedWithin(IDLE.plus(MARGIN))).isFalse();
            assertThat(connection.received()).startsWith("HTTP/1.1 200 ").contains("\"path\":\"/h1-slow\"");
        }
    }

    /** A header block that never ends (CONTINUATION frames dripped, none with END_HEADERS) is idle to the server. */
    @Test
    void http2WhenHeaderBlockDrippedThenClosedWithinIdleTimeout() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            connection.frame(0x1, 0x1, 1, new byte[] {(byte) 0x82}); // :method GET, no END_HEADERS
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 30 && !closed; i++) {
                connection.frame(0x9, 0, 1, new byte[] {(byte) 0x84}); // CONTINUATION, :path /
                closed = connection.closedWithin(Duration.ofMillis(300));
            }

            assertThat(closed).as("closed while dripping").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(IDLE.plus(MARGIN));
        }
    }

    @Test
    void http2WhenBodyHalfSentThen408WithinBodyReadTimeout() throws IOException {
        try (RawConnection connection = RawConnection.h2(gateway.pki(), gateway.httpsPort())) {
            Map<String, String> post = request("POST", "/h2-half-body");
            post.put("content-length", "10");
            connection.headers(1, post, false);
            connection.frame(0x0, 0, 1, "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            long started = System.nanoTime();

            String ended;
            try {
                ended = "status " + connection.responseHeaders(1).status();
            } catch (IOException e) {
                ended = e.getMessage();
            }

            // The 408 if it gets out before Reactor Netty closes the stream, else the stream's reset.
            assertThat(ended).isIn("status 408", "stream 1 reset by the gateway");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BODY_READ.plus(MARGIN));
        }
        // RECORD's line. Over HTTP/2 the decoder-rejection hook also writes a line for every 4xx (issue 16, item 9,
        // fixed in decisionlog/ separately): left out here so this test is about the status, not that duplicate.
        await().atMost(Duration.ofSeconds(10)).until(() -> !recordLinesForPath("/h2-half-body").isEmpty());
        assertThat(recordLinesForPath("/h2-half-body")).singleElement()
                .satisfies(line -> assertThat(line.at("/result/status").asInt()).isEqualTo(408));
    }

    /** The one decision-log line of the request for {@code path}, waiting for the writer; more than one fails. */
    private JsonNode onlyLineForPath(String path) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesForPath(path).isEmpty());
        List<JsonNode> found = linesForPath(path);
        assertThat(found).as("decision-log lines for %s", path).hasSize(1);
        return found.get(0);
    }

    private List<JsonNode> recordLinesForPath(String path) {
        return linesForPath(path).stream().filter(line -> !line.at("/why/reasons/0").asText()
                .contains("refused by the HTTP decoder")).toList();
    }

    private List<JsonNode> linesForPath(String path) {
        return lines.list.stream().map(event -> parse(event.getFormattedMessage()))
                .filter(line -> path.equals(line.at("/what/path").asText())).toList();
    }

    /** Reads until the answer naming {@code path} is in (true) or the connection closed or 10 s passed (false). */
    private static boolean answered(RawConnection connection, String path) throws IOException {
        for (int i = 0; i < 100; i++) {
            if (connection.received().contains("\"path\":\"" + path + "\"")) {
                return true;
            }
            if (connection.closedWithin(Duration.ofMillis(100))) {
                return false;
            }
        }
        return false;
    }

    /** {@code gatehouse_listener_timeouts_total{phase}} as the management port shows it now (0 if absent). */
    private double timeouts(String phase) throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("(?m)^gatehouse_listener_timeouts_total\\{[^}]*phase=\"" + phase
                + "\"[^}]*\\} (\\S+)$").matcher(metrics);
        return value.find() ? Double.parseDouble(value.group(1)) : 0;
    }

    private static Map<String, String> request(String method, String path) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(":method", method);
        fields.put(":scheme", "https");
        fields.put(":authority", "localhost");
        fields.put(":path", path);
        return fields;
    }

    /** Writes {@code text}, then waits {@code pause} for the gateway to close; true once it has (or a write failed). */
    private static boolean dripOrClosed(RawConnection connection, String text, Duration pause) {
        try {
            connection.write(text);
            return connection.closedWithin(pause);
        } catch (IOException e) {
            return true;
        }
    }
}
