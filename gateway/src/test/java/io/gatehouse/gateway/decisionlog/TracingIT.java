package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RECORD's own tracing: one trace id per request in the decision log, the same trace named to the upstream in
 * {@code traceparent}, a client's {@code traceparent} continued only from a trusted front proxy, and the request
 * timer on the management port.
 */
class TracingIT extends DecisionLogITSupport {

    static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CLIENT_TRACEPARENT = "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01";

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(upstream);
    }

    @Test
    void requestWhenForwardedThenUpstreamTraceparentNamesTheLoggedTrace() {
        GatewayClient.Response response = client().get("/traced");

        assertThat(response.status()).isEqualTo(200);
        String trace = traceOf(upstream.last().header("traceparent"));
        assertThat(onlyLineFor(response).path("trace_id").asText()).isEqualTo(trace);
    }

    @Test
    void requestsWhenSeveralThenEachHasItsOwnTrace() {
        String first = onlyLineFor(client().get("/one")).path("trace_id").asText();
        String second = onlyLineFor(client().get("/two")).path("trace_id").asText();

        assertThat(first).matches("[0-9a-f]{32}").isNotEqualTo(second);
    }

    @Test
    void traceparentWhenSentByAnUntrustedClientThenNotContinuedAndReplacedUpstream() {
        GatewayClient.Response response = client().get("/spoof",
                Map.of("traceparent", CLIENT_TRACEPARENT, "tracestate", "vendor=spoofed"));

        String logged = onlyLineFor(response).path("trace_id").asText();
        assertThat(logged).isNotEqualTo(CLIENT_TRACE);
        assertThat(traceOf(upstream.last().header("traceparent"))).isEqualTo(logged);
        assertThat(upstream.last().hasHeader("tracestate")).isFalse();
    }

    @Test
    void metricsWhenRequestsServedThenRequestTimerByRouteAndStatusAndNoGenericServerObservation() throws Exception {
        client().get("/timed");

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body())
                .containsPattern("gatehouse_requests_seconds_count\\{route=\"echo\",status=\"200\"} [1-9]")
                .doesNotContain("http_server_requests_seconds_count{")
                .doesNotContain("http_client_requests_seconds_count{");
    }

}
