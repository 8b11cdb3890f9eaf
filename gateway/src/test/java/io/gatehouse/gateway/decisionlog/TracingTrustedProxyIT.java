package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@code traceparent} from a trusted front proxy continues that trace (TracingIT: from anyone else, it does not). */
class TracingTrustedProxyIT extends DecisionLogITSupport {

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.trusted-proxies", "127.0.0.1/32");
    }

    @Test
    void traceparentWhenSentByATrustedProxyThenTheTraceContinues() {
        GatewayClient.Response response = client().get("/continued",
                Map.of("traceparent", TracingIT.CLIENT_TRACEPARENT));

        assertThat(onlyLineFor(response).path("trace_id").asText()).isEqualTo(TracingIT.CLIENT_TRACE);
        String upstreamParent = upstream.last().header("traceparent");
        assertThat(traceOf(upstreamParent)).isEqualTo(TracingIT.CLIENT_TRACE);
        assertThat(upstreamParent).doesNotContain("00f067aa0ba902b7"); // the gateway's own span is the parent now
    }
}
