package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code management.otlp.tracing.endpoint} set, the gateway exports its request spans over OTLP/HTTP
 * (protobuf) to that endpoint: a receiver on loopback gets a POST to {@code /v1/traces} whose body carries the trace
 * id the decision log names for the request, and the gateway's service name.
 */
class OtlpTraceExportIT extends DecisionLogITSupport {

    /** One POST as the receiver got it. */
    record Export(String path, String contentType, byte[] body) {
    }

    private final List<Export> exports = new ArrayList<>();
    private final HttpServer receiver = receiver();

    private HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] body = in.readNBytes(4 * 1024 * 1024);
                    synchronized (exports) {
                        if (exports.size() < 100) {
                            exports.add(new Export(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(),
                                    String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")), body));
                        }
                    }
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("management.otlp.tracing.endpoint",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/v1/traces")
                .property("gatehouse.tracing.sampling", "1.0");
    }

    @AfterAll
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void whenAnOtlpEndpointIsConfiguredThenTheRequestSpanArrivesThereAsProtobuf() {
        GatewayClient.Response response = client().get("/");
        assertThat(response.status()).isEqualTo(200);
        byte[] traceId = HexFormat.of().parseHex(onlyLineFor(response).path("trace_id").asText());
        assertThat(traceId).hasSize(16);

        await().atMost(Duration.ofSeconds(30)).until(() -> exportCarrying(traceId) != null);
        Export export = exportCarrying(traceId);
        assertThat(export.path()).isEqualTo("POST /v1/traces");
        assertThat(export.contentType()).isEqualTo("application/x-protobuf");
        assertThat(contains(export.body(), "gatehouse-gateway".getBytes(StandardCharsets.UTF_8)))
                .as("service.name in the resource").isTrue();
    }

    private Export exportCarrying(byte[] traceId) {
        synchronized (exports) {
            return exports.stream().filter(e -> contains(e.body(), traceId)).findFirst().orElse(null);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
