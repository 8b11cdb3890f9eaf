package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.RawConnection;
import io.gatehouse.gateway.testing.RunningGateway;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROXY protocol on the public listener ({@code gatehouse.listener.proxy-protocol.trusted-addresses}), black-box over
 * real TLS, as an AWS NLB would speak it: the load balancer is 127.0.0.1 (trusted), another peer on this machine is
 * 127.0.0.2 (Linux routes all of 127/8 to loopback). The route allows the office range 203.0.113.0/24 and the
 * load balancer's own network 127.0.0.0/8, as a policy allowing the VPC range would: a request judged by the
 * load balancer's address instead of the client's would be let in.
 */
class ProxyProtocolIT extends DecisionLogITSupport {

    private static final InetAddress LOAD_BALANCER = address("127.0.0.1");
    private static final InetAddress OTHER_PEER = address("127.0.0.2");
    private static final String OFFICE_CLIENT = "203.0.113.7";
    private static final String OUTSIDE_CLIENT = "198.51.100.9";
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern REQUEST_ID = Pattern.compile("(?i)\r\nx-request-id: *([^\r\n]+)\r\n");

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - {name: office, source_ips: [203.0.113.0/24]}
                        - {name: load-balancer-network, source_ips: [127.0.0.0/8]}
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.listener.proxy-protocol.trusted-addresses[0]", "127.0.0.1")
                .property("gatehouse.listener.tls-handshake-timeout", "2s");
    }

    @Test
    void requestWhenTrustedPeerSendsProxyHeaderOverHttp1ThenPolicyLogAndUpstreamSeeTheClient() throws Exception {
        try (RawConnection connection = RawConnection.proxied(gateway.pki(), gateway.httpsPort(), LOAD_BALANCER,
                ProxyHeader.v2(OFFICE_CLIENT, 40_001), "http/1.1")) {
            List<String> ids = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                connection.write("GET /office-" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                awaitResponses(connection, i);
            }

            assertThat(statuses(connection)).containsExactly(200, 200);
            ids.addAll(requestIds(connection));
            for (String id : ids) {
                JsonNode line = lineFor(id);
                assertThat(line.path("where").path("source_ip").asText()).isEqualTo(OFFICE_CLIENT);
                assertThat(line.path("why").path("rule").asText()).isEqualTo("office");
            }
            assertThat(upstream.last().header("X-Forwarded-For")).isEqualTo(OFFICE_CLIENT);
        }
    }

    @Test
    void requestWhenTrustedPeerSendsProxyHeaderOverHttp2ThenEveryStreamSeesTheClient() throws Exception {
        try (RawConnection connection = RawConnection.proxied(gateway.pki(), gateway.httpsPort(), LOAD_BALANCER,
                ProxyHeader.v2(OFFICE_CLIENT, 40_002), "h2")) {
            for (int stream = 1; stream <= 5; stream += 2) {
                Http2Headers response = get(connection, stream, "/office-h2-" + stream);

                assertThat(response.status().toString()).as("stream %d", stream).isEqualTo("200");
                JsonNode line = lineFor(response.get("x-request-id").toString());
                assertThat(line.path("where").path("source_ip").asText()).isEqualTo(OFFICE_CLIENT);
                assertThat(line.path("why").path("rule").asText()).isEqualTo("office");
            }
        }
    }

    /**
     * The attack: a client outside every range, behind the load balancer. Its every request, and every HTTP/2 stream
     * after the first, must be judged by its own address, never by the load balancer's (which the policy allows).
     * Anonymous and denied: 401.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void requestWhenProxiedClientOutsideTheRangesThenEveryRequestIsDeniedAsThatClient(String alpn) throws Exception {
        try (RawConnection connection = RawConnection.proxied(gateway.pki(), gateway.httpsPort(), LOAD_BALANCER,
                ProxyHeader.v2(OUTSIDE_CLIENT, 40_003), alpn)) {
            List<String> ids = new ArrayList<>();
            if (alpn.equals("h2")) {
                for (int stream = 1; stream <= 5; stream += 2) {
                    Http2Headers response = get(connection, stream, "/outside-h2-" + stream);
                    assertThat(response.status().toString()).as("stream %d", stream).isEqualTo("401");
                    ids.add(response.get("x-request-id").toString());
                }
            } else {
                for (int i = 1; i <= 3; i++) {
                    connection.write("GET /outside-" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    awaitResponses(connection, i);
                }
                assertThat(statuses(connection)).containsExactly(401, 401, 401);
                ids.addAll(requestIds(connection));
            }

            assertThat(ids).hasSize(3);
            for (String id : ids) {
                JsonNode line = lineFor(id);
                assertThat(line.path("where").path("source_ip").asText()).isEqualTo(OUTSIDE_CLIENT);
                assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
            }
            assertThat(upstream.received()).isEmpty();
        }
    }

    /** LOCAL: the load balancer speaks for itself (its health check); the protocol says to keep the socket address. */
    @Test
    void requestWhenTrustedPeerSendsLocalHeaderThenJudgedAsTheLoadBalancer() throws Exception {
        try (RawConnection connection = RawConnection.proxied(gateway.pki(), gateway.httpsPort(), LOAD_BALANCER,
                ProxyHeader.v2Local(), "http/1.1")) {
            connection.write("GET /health-check HTTP/1.1\r\nHost: localhost\r\n\r\n");
            awaitResponses(connection, 1);

            assertThat(statuses(connection)).containsExactly(200);
            JsonNode line = lineFor(requestIds(connection).get(0));
            assertThat(line.path("where").path("source_ip").asText()).isEqualTo("127.0.0.1");
            assertThat(line.path("why").path("rule").asText()).isEqualTo("load-balancer-network");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void connectWhenUntrustedPeerSendsProxyHeaderThenClosedBeforeTlsAndCounted(String alpn) throws Exception {
        double before = refused("proxy-protocol-untrusted");

        assertThatThrownBy(() -> RawConnection.proxied(gateway.pki(), gateway.httpsPort(), OTHER_PEER,
                ProxyHeader.v2(OFFICE_CLIENT, 40_004), alpn).close()).isInstanceOf(IOException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> refused("proxy-protocol-untrusted") > before);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void connectWhenUntrustedPeerSpeaksPlainTlsThenClosedToo() throws Exception {
        double before = refused("proxy-protocol-untrusted");

        assertThatThrownBy(() -> RawConnection.proxied(gateway.pki(), gateway.httpsPort(), OTHER_PEER,
                new byte[0], "http/1.1").close()).isInstanceOf(IOException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> refused("proxy-protocol-untrusted") > before);
    }

    @Test
    void connectWhenTrustedPeerSendsNoHeaderThenClosedAndCounted() throws Exception {
        double before = refused("proxy-protocol-invalid");

        assertThatThrownBy(() -> RawConnection.proxied(gateway.pki(), gateway.httpsPort(), LOAD_BALANCER,
                new byte[0], "http/1.1").close()).isInstanceOf(IOException.class);

        await().atMost(Duration.ofSeconds(5)).until(() -> refused("proxy-protocol-invalid") > before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PROXY TCP4 nonsense\r\n", "PROXY UNKNOWN-FAMILY 1.2.3.4 5.6.7.8 1 2\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"})
    void connectWhenTrustedPeerSendsGarbageHeaderThenClosedAndCounted(String garbage) throws Exception {
        double before = refused("proxy-protocol-invalid");

        try (RawConnection connection = RawConnection.tcpFrom(LOAD_BALANCER, gateway.httpsPort(),
                garbage.getBytes(StandardCharsets.US_ASCII))) {
            assertThat(connection.closedWithin(Duration.ofSeconds(5))).isTrue();
            assertThat(connection.received()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> refused("proxy-protocol-invalid") > before);
    }

    /** The TLS handshake deadline runs from the TCP accept: a peer that stops after the header, or sends nothing. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void connectWhenTrustedPeerStallsThenHandshakeDeadlineCloses(boolean sendsHeader) throws Exception {
        double before = metric("gatehouse_listener_timeouts_total", "phase=\"tls-handshake\"");

        try (RawConnection connection = RawConnection.tcpFrom(LOAD_BALANCER, gateway.httpsPort(),
                sendsHeader ? ProxyHeader.v2(OFFICE_CLIENT, 40_005) : new byte[0])) {
            assertThat(connection.closedWithin(Duration.ofSeconds(8))).isTrue();
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> metric("gatehouse_listener_timeouts_total", "phase=\"tls-handshake\"") > before);
    }

    private static Http2Headers get(RawConnection connection, int stream, String path) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(":method", "GET");
        fields.put(":scheme", "https");
        fields.put(":authority", "localhost");
        fields.put(":path", path);
        connection.headers(stream, fields, true);
        return connection.responseHeaders(stream);
    }

    /** Reads until {@code count} HTTP/1.1 status lines came (10 s at most). */
    private static void awaitResponses(RawConnection connection, int count) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (statuses(connection).size() < count && System.nanoTime() < deadline) {
            if (connection.closedWithin(Duration.ofMillis(100))) {
                break;
            }
        }
        assertThat(statuses(connection)).as("responses on %s", connection.received()).hasSize(count);
    }

    private static List<Integer> statuses(RawConnection connection) {
        return all(STATUS, connection.received()).stream().map(Integer::valueOf).toList();
    }

    private static List<String> requestIds(RawConnection connection) {
        return all(REQUEST_ID, connection.received()).stream().map(String::trim).toList();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private JsonNode lineFor(String requestId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> linesFor(requestId).size() == 1);
        return linesFor(requestId).get(0);
    }

    private double refused(String reason) throws Exception {
        return metric("gatehouse_listener_connections_refused_total", "reason=\"" + reason + "\"");
    }

    /** The value of a counter series whose labels include {@code label}, 0 if absent. */
    private double metric(String name, String label) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\} (\\S+)$")
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
