package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.EchoUpstream;
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
}
