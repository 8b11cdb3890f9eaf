package io.gatehouse.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.RequestStage;
import io.gatehouse.gateway.decisionlog.RecordWebFilter;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.Ordered;
import org.springframework.web.server.WebFilter;

/** The listeners: real TLS with generated certificates, client-auth want, and the management port rules. */
class TlsAndManagementIT extends GatewayITSupport {

    @TempDir
    Path otherDir;

    private static HttpResponse<String> plainGet(java.net.URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tlsWhenClientPresentsDeviceCertificateThenHandshakeAcceptsAndRequestServed() {
        DevPki.Issued laptop = gateway.pki().issueDevice("laptop-1");

        GatewayClient.Response response = client().withDevice(laptop).get("/with-cert");

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().path()).isEqualTo("/with-cert");
    }

    @Test
    void tlsWhenNoClientCertificateThenStillServed() {
        assertThat(client().get("/no-cert").status()).isEqualTo(200);
    }

    @Test
    void tlsWhenCertificateFromAnotherCaThenHandshakeFails() {
        DevPki stranger = DevPki.create(otherDir, "stranger");
        DevPki.Issued foreign = stranger.issueDevice("foreign");

        // raw(): the JDK client presents the certificate even though the server names only its own device CA.
        String answer;
        try {
            answer = client().withDevice(foreign).raw("GET /foreign HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        } catch (java.io.UncheckedIOException handshakeRefused) {
            answer = "";
        }
        assertThat(answer).doesNotStartWith("HTTP/1.1 200");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void tlsThenOnlyTls13And12Negotiated() throws Exception {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), null).getSocketFactory()
                .createSocket("127.0.0.1", gateway.httpsPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), null).getSocketFactory()
                .createSocket("127.0.0.1", gateway.httpsPort())) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    /** Renegotiation would let a TLS 1.2 connection swap its client certificate (the device) after a request. */
    @Test
    void tlsWhenClientRenegotiatesAfterARequestThenConnectionRefusesIt() throws Exception {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), null).getSocketFactory()
                .createSocket("127.0.0.1", gateway.httpsPort())) {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            String request = "GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            int read = socket.getInputStream().readNBytes(head, 0, head.length);
            assertThat(new String(head, 0, read, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

            java.io.IOException refused = null;
            try {
                socket.startHandshake(); // a new ClientHello on the established connection
                socket.getOutputStream().write("GET /second HTTP/1.1\r\nHost: localhost\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                while (socket.getInputStream().read() >= 0) {
                    // the rest of the first response, then the alert or the close
                }
            } catch (java.io.IOException e) {
                refused = e;
            }
            // Refused: a TLS alert, a reset or the end of the stream; a connection left hanging would time out.
            assertThat(refused instanceof java.net.SocketTimeoutException).as("timed out: %s", refused).isFalse();
        }
        // Had it been accepted, the second request would have reached the upstream on the renegotiated connection.
        assertThat(upstream.received()).extracting(r -> r.path()).containsExactly("/first");
    }

    @Test
    void managementWhenAskedOnManagementPortThenHealthProbesAndPrometheus() throws Exception {
        assertThat(plainGet(gateway.managementUri("/actuator/health/liveness")).statusCode()).isEqualTo(200);
        assertThat(plainGet(gateway.managementUri("/actuator/health/readiness")).statusCode()).isEqualTo(200);
        assertThat(client().get("/timed").status()).isEqualTo(200);
        HttpResponse<String> metrics = plainGet(gateway.managementUri("/actuator/prometheus"));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("gatehouse_config_reload_failures_total", "gatehouse_requests_seconds_count")
                // Spring Cloud Gateway's per-request timer, which RECORD's replaces (it sorted its tags on every request)
                .doesNotContain("spring_cloud_gateway_requests_seconds");
    }

    @Test
    void managementWhenActuatorAskedOnPublicPortThenNotServedThere() {
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator/gateway/routes")) {
            GatewayClient.Response response = client().get(path, java.util.Map.of("Host", "unrouted.example"));
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.body()).as(path).doesNotContain("\"UP\"");
        }
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void managementWhenGatewayRouteEditorAskedOnManagementPortThenNotExposed() throws Exception {
        assertThat(plainGet(gateway.managementUri("/actuator/gateway/routes")).statusCode()).isEqualTo(404);
    }

    @Test
    void managementWhenSamePortAsPublicThenStartupFails() {
        assertThatThrownBy(() -> RunningGateway.builder(otherDir).property("server.port", 18443)
                .property("management.server.port", 18443).start())
                .hasStackTraceContaining("management.server.port (18443) must be set and differ from server.port (18443)");
        assertThat(client().get("/still-up").status()).isEqualTo(200);
    }

    @Test
    void stagesThenOneWebFilterRunsThemInRequestStageOrder() {
        List<WebFilter> ours = gateway.context().getBeanProvider(WebFilter.class).orderedStream()
                .filter(f -> f.getClass().getName().startsWith("io.gatehouse.gateway"))
                // Continuous authorization's (issue 22) is no stage: it runs last, after every decision.
                .filter(f -> !f.getClass().getName().startsWith("io.gatehouse.gateway.longlived."))
                .toList();

        // Issue 17: RECORD is the request path's one WebFilter; the later stages are steps it calls in order.
        assertThat(ours).extracting(f -> f.getClass().getSimpleName()).containsExactly("RecordWebFilter");
        assertThat(((Ordered) ours.get(0)).getOrder()).isEqualTo(RequestStage.RECORD.order());
        assertThat(((RecordWebFilter) ours.get(0)).stages()).containsExactlyElementsOf(
                Arrays.stream(RequestStage.values()).filter(stage -> stage != RequestStage.RECORD).toList());
    }
}
