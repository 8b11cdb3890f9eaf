package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted front proxy (here: the test client on 127.0.0.1, listed in {@code gatehouse.trusted-proxies}) forwards
 * the device certificate it verified; the gateway validates it against the device CA before believing it.
 */
class ForwardedCertificateIT extends GatewayITSupport {

    static final String HIGH = """
            {"id": "dev-7", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    @TempDir
    java.nio.file.Path otherDir;
    private InventoryStub inventory;

    @Override
    protected String config(URI upstreamUri) {
        return devicesRoute(upstreamUri);
    }

    /** One public route that needs a high-trust device. */
    static String devicesRoute(URI upstreamUri) {
        return """
                routes:
                  - id: devices
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: good-devices
                          public: true
                          device: { trust: high }
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        builder.property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.timeout", "5s")
                .property("gatehouse.trusted-proxies", "127.0.0.1/32");
    }

    @AfterAll
    void stopInventory() {
        inventory.close();
    }

    private GatewayClient.Response forwarding(DevPki.Issued device) throws Exception {
        return forwarding(client(), device);
    }

    /** A request with {@code device}'s certificate in the header a trusted front proxy forwards. */
    static GatewayClient.Response forwarding(GatewayClient client, DevPki.Issued device) throws Exception {
        String pem = URLEncoder.encode(Files.readString(device.certificatePem()), StandardCharsets.UTF_8)
                .replace("+", "%20");
        return client.get("/x", Map.of("Accept", "application/json", "X-Forwarded-Client-Cert", pem));
    }

    @Test
    void requestWhenTrustedProxyForwardsEnrolledDeviceThenAllowed() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("forwarded-laptop");
        inventory.posture(laptop.sha256(), HIGH);

        GatewayClient.Response response = forwarding(laptop);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(upstream.last().hasHeader("x-forwarded-client-cert")).isFalse(); // consumed by DEVICE
    }

    @Test
    void requestWhenTrustedProxyForwardsCertificateOfAnotherCaThenDeniedWithReason() throws Exception {
        DevPki other = DevPki.create(otherDir, "not-the-device-ca");
        DevPki.Issued forged = other.issueDevice("forged-laptop");
        inventory.posture(forged.sha256(), HIGH);

        GatewayClient.Response response = forwarding(forged);

        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(response.body()).contains("forwarded client certificate rejected");
        assertThat(upstream.received()).isEmpty();
    }
}
