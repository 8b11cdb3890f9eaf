package io.gatehouse.gateway.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RawConnection;
import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Without {@code gatehouse.listener.proxy-protocol.trusted-addresses} (the default) the public listener speaks TLS
 * from the first byte: a client that sends a PROXY header cannot choose its address (the header is no TLS, the
 * handshake fails), and a plain client is judged by its socket address, as before.
 */
class ProxyProtocolOffIT extends DecisionLogITSupport {

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void connectWhenProxyProtocolOffAndClientSendsAHeaderThenHandshakeFails(String alpn) {
        assertThatThrownBy(() -> RawConnection.proxied(gateway.pki(), gateway.httpsPort(),
                InetAddress.getLoopbackAddress(), ProxyHeader.v2("203.0.113.7", 40_010), alpn).close())
                .isInstanceOf(IOException.class);
        assertThat(upstream.received()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2"})
    void requestWhenProxyProtocolOffThenSocketAddressIsTheSource(String alpn) {
        GatewayClient client = alpn.equals("h2") ? client().http2() : client();

        GatewayClient.Response response = client.get("/plain");

        assertThat(response.status()).isEqualTo(200);
        assertThat(onlyLineFor(response).path("where").path("source_ip").asText()).isEqualTo("127.0.0.1");
    }
}
