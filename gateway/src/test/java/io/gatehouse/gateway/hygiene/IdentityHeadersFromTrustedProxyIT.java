package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 16, item 8, from a trusted front proxy (the test client on 127.0.0.1): its forwarding headers are believed,
 * but identity headers are removed all the same (the upstream learns who and which device from the assertion only),
 * and the forwarded-certificate header the gateway reads ({@code gatehouse.device.forwarded-certificate-header}, here
 * {@code X-SSL-Client-Cert}) never reaches the upstream either, even when the connection presented its own
 * certificate and DEVICE never read the header.
 */
class IdentityHeadersFromTrustedProxyIT extends GatewayITSupport {

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.trusted-proxies", "127.0.0.1/32")
                .property("gatehouse.device.forwarded-certificate-header", "X-SSL-Client-Cert");
    }

    static Stream<String> identityHeaders() {
        return Stream.concat(Stream.of(IdentityHeadersIT.IDENTITY), Stream.of(IdentityHeadersIT.METHOD_OVERRIDES))
                .flatMap(name -> Stream.of(name, name.toLowerCase(Locale.ROOT)));
    }

    @ParameterizedTest
    @MethodSource("identityHeaders")
    void requestWhenTrustedProxySendsIdentityHeaderThenUpstreamNeverSeesIt(String name) {
        GatewayClient.Response response = client().http2().get("/x", Map.of(name, "pat@corp.example",
                "X-Forwarded-For", "198.51.100.7"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        EchoUpstream.Received seen = upstream.last();
        assertThat(seen.hasHeader(name)).as(name).isFalse();
        assertThat(seen.header("x-forwarded-for")).startsWith("198.51.100.7"); // forwarding headers are believed
    }

    @Test
    void requestWhenConnectionHasCertificateAndTrustedProxyAlsoForwardsOneThenUpstreamSeesNeither() {
        DevPki.Issued laptop = gateway.pki().issueDevice("trusted-proxy-laptop");

        GatewayClient.Response response = client().withDevice(laptop).get("/x",
                Map.of("X-SSL-Client-Cert", "-----BEGIN%20CERTIFICATE-----", "Accept", "application/json"));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(upstream.last().hasHeader("x-ssl-client-cert")).isFalse();
    }
}
