package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;

/** Spoofable headers are removed in every spelling; forwarding headers stay only from a trusted proxy. */
class InboundHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {"X-Gatehouse-Assertion", "x-gatehouse-assertion", "X-GATEHOUSE-ASSERTION",
            "X_Gatehouse_Assertion", "x_gatehouse-user", "X-Gatehouse-Anything", "X-Original-URL", "x-rewrite-url",
            "HTTP2-Settings"})
    void stripWhenGatehouseOrOverrideHeaderThenRemovedEvenFromTrustedProxy(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-HOST", "X-Forwarded-Proto",
            "X_Forwarded_For", "Forwarded", "forwarded", "X-Real-IP", "True-Client-IP", "X-Forwarded-Client-Cert",
            "x_forwarded_client_cert"})
    void stripWhenForwardingHeaderFromUntrustedPeerThenRemoved(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.strip(headers, false);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-For", "x-forwarded-proto", "Forwarded", "X-Forwarded-Client-Cert"})
    void stripWhenForwardingHeaderFromTrustedPeerThenKept(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.strip(headers, true);

        assertThat(headers.keySet()).containsExactlyInAnyOrder("Accept", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X_Forwarded_For", "x_real_ip"})
    void stripWhenUnderscoreForwardingHeaderFromTrustedPeerThenRemoved(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "websocket, h2c", "TLS/1.2"})
    void stripWhenUpgradeIsNotWebsocketThenRemoved(String value) {
        HttpHeaders headers = headersWith("X-Other");
        headers.add("Upgrade", value);

        InboundHeaders.strip(headers, false);

        assertThat(headers.containsKey("Upgrade")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "WebSocket"})
    void stripWhenUpgradeIsWebsocketThenKept(String value) {
        HttpHeaders headers = headersWith("X-Other");
        headers.add("Upgrade", value);

        InboundHeaders.strip(headers, false);

        assertThat(headers.getFirst("Upgrade")).isEqualTo(value);
    }

    private static HttpHeaders headersWith(String name) {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Accept", "*/*");
        headers.add(name, "spoofed");
        if (name.equals("X-Other")) {
            headers.remove("Accept");
        }
        return headers;
    }
}
