package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;

/** Spoofable headers are removed in every spelling; forwarding headers stay only from a trusted proxy. */
class InboundHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {"X-Gatehouse-Assertion", "x-gatehouse-assertion", "X-GATEHOUSE-ASSERTION",
            "X_Gatehouse_Assertion", "x_gatehouse-user", "X-Gatehouse-Anything", "X-Original-URL", "X-Original-Method",
            "x-rewrite-url", "HTTP2-Settings"})
    void stripWhenGatehouseOrOverrideHeaderThenRemovedEvenFromTrustedProxy(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-HOST", "X-Forwarded-Proto",
            "X_Forwarded_For", "Forwarded", "forwarded", "X-Real-IP", "True-Client-IP", "X-Forwarded-Client-Cert",
            "x_forwarded_client_cert"})
    void stripWhenForwardingHeaderFromUntrustedPeerThenRemoved(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, false);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Forwarded-For", "x-forwarded-proto", "Forwarded", "X-Forwarded-Client-Cert"})
    void stripWhenForwardingHeaderFromTrustedPeerThenKept(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, true);

        assertThat(headers.keySet()).containsExactlyInAnyOrder("Accept", name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X_Forwarded_For", "x_real_ip"})
    void stripWhenUnderscoreForwardingHeaderFromTrustedPeerThenRemoved(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2c", "websocket, h2c", "TLS/1.2"})
    void stripWhenUpgradeIsNotWebsocketThenRemoved(String value) {
        HttpHeaders headers = headersWith("X-Other");
        headers.add("Upgrade", value);

        InboundHeaders.defaults().strip(headers, false);

        assertThat(headers.containsKey("Upgrade")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "WebSocket"})
    void stripWhenUpgradeIsWebsocketThenKept(String value) {
        HttpHeaders headers = headersWith("X-Other");
        headers.add("Upgrade", value);

        InboundHeaders.defaults().strip(headers, false);

        assertThat(headers.getFirst("Upgrade")).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-HTTP-Method-Override", "x-http-method", "X_Method_Override", "Remote-User",
            "x-remote-user", "X-Auth-Request-Email", "X-Forwarded-User", "x_forwarded_groups", "X-Pomerium-Claim-Sub",
            "CF-Access-Jwt-Assertion", "X-Goog-Authenticated-User-Email", "X-AMZN-OIDC-DATA", "X-MS-CLIENT-PRINCIPAL",
            "X-Ms-Client-Principal-Name", "SSL-Client-S-DN", "X-SSL-Client-Verify", "X-Client-Cert-Chain",
            "X-Client-Verify", "X-Forwarded-Tls-Client-Cert"})
    void stripWhenMethodOverrideOrIdentityHeaderThenRemovedEvenFromTrustedProxy(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Corp-User", "x_corp_user", "X-Legacy-Auth-Roles", "x-legacy-auth-"})
    void stripWhenConfiguredNameOrPrefixThenRemoved(String name) {
        HttpHeaders headers = headersWith(name);
        InboundHeaders inbound = new InboundHeaders(new IdentityHeaders(List.of(" X-Corp-User", "X-Legacy-Auth-*")),
                "X-Forwarded-Client-Cert");

        inbound.strip(headers, true);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-SSL-Client-Cert", "ssl-client-cert"})
    void stripWhenConfiguredCertificateHeaderThenKeptOnlyFromTrustedProxy(String configured) {
        InboundHeaders inbound = new InboundHeaders(IdentityHeaders.builtIn(), configured);
        HttpHeaders fromProxy = headersWith(configured);
        HttpHeaders fromClient = headersWith(configured);
        HttpHeaders underscored = headersWith(configured.replace('-', '_'));

        inbound.strip(fromProxy, true);
        inbound.strip(fromClient, false);
        inbound.strip(underscored, true);

        assertThat(fromProxy.keySet()).containsExactlyInAnyOrder("Accept", configured);
        assertThat(fromClient.keySet()).containsExactly("Accept");
        assertThat(underscored.keySet()).containsExactly("Accept");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "X Corp", "X-Corp-*-User", "X-Corp:User", "**"})
    void identityHeadersWhenConfiguredEntryIsNotANameOrPrefixThenStartupFailsNamingIt(String entry) {
        assertThatThrownBy(() -> new IdentityHeaders(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gatehouse.hygiene.strip-headers: \"" + entry + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Remote-Address", "X-Client-Version", "Remote-Users", "X-Auth-Token", "X-Method"})
    void stripWhenNameOnlyResemblesAnIdentityHeaderThenKept(String name) {
        HttpHeaders headers = headersWith(name);

        InboundHeaders.defaults().strip(headers, false);

        assertThat(headers.keySet()).containsExactlyInAnyOrder("Accept", name);
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
