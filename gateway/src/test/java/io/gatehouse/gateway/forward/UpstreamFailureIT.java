package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failure table: upstream down → 502, slow → 504, both with the request id. */
class UpstreamFailureIT extends GatewayITSupport {

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow: [{name: anyone, public: true}]
                  - id: down
                    from: https://down.localhost
                    to: %s
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(upstream, EchoUpstream.refusingUri());
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.forward.response-timeout", "1s");
    }

    @Test
    void forwardWhenUpstreamRefusesConnectionThen502WithRequestId() {
        GatewayClient.Response response = client().get("/", Map.of("Host", "down.localhost"));

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("request_id").asText()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void forwardWhenUpstreamDropsConnectionThen502() {
        upstream.dropConnections();

        GatewayClient.Response response = client().get("/drop");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.json().path("request_id").asText()).isNotBlank();
    }

    @Test
    void forwardWhenUpstreamSlowerThanResponseTimeoutThen504WithRequestId() {
        upstream.slow(Duration.ofSeconds(5));

        GatewayClient.Response response = client().get("/slow");

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.json().path("request_id").asText()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void forwardWhenUpstreamStreamsSlowerOverallThanResponseTimeoutButNeverPausesThatLongThenWholeAnswerArrives() {
        upstream.trickle(5, Duration.ofMillis(400)); // 1.6 s in all, never 1 s without a byte

        GatewayClient.Response response = client().get("/stream");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("part 1\npart 2\npart 3\npart 4\npart 5\n");
    }

    @Test
    void forwardWhenUpstreamStallsMidAnswerLongerThanResponseTimeoutThenAnswerIsCutNotWaitedFor() {
        upstream.trickle(2, Duration.ofSeconds(8)); // headers and "part 1" at once, then 8 s of nothing

        long started = System.nanoTime();
        Throwable cut = catchThrowable(() -> client().get("/stall"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // The status line went out before the stall, so no 504 can follow: the gateway gives up on the upstream after
        // the response timeout (1 s here) and ends the client's answer short, instead of holding both connections.
        assertThat(cut).as("the answer ends short of its body").isNotNull();
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
}
