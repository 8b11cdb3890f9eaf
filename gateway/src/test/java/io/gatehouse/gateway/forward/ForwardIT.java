package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardIT extends GatewayITSupport {

    @Test
    void forwardWhenAllowedThenPathAndQueryReachUpstreamUnchanged() {
        GatewayClient.Response response = client().get("/a/b%20c/d?x=1&y=%2F&z");

        assertThat(response.status()).isEqualTo(200);
        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.path()).isEqualTo("/a/b%20c/d");
        assertThat(seen.query()).isEqualTo("x=1&y=%2F&z");
    }

    @Test
    void forwardThenUpstreamGetsItsOwnHostAndGatewayForwardedHeaders() {
        client().get("/", Map.of("X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.example"));

        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("localhost");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(seen.headers().get("x-forwarded-for")).containsExactly("127.0.0.1");
    }

    @Test
    void forwardWhenH2cUpgradeRequestedThenUpstreamNeverSeesUpgradeOrSettings() {
        client().get("/", Map.of("Connection", "Upgrade, HTTP2-Settings", "Upgrade", "h2c", "HTTP2-Settings", "AAMAAABkAAQAAP__"));

        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.hasHeader("Upgrade")).isFalse();
        assertThat(seen.hasHeader("HTTP2-Settings")).isFalse();
    }

    @Test
    void forwardWhenHttp2ThenServedOverH2() {
        GatewayClient.Response response = client().http2().get("/h2");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(upstream.last().path()).isEqualTo("/h2");
    }
}
