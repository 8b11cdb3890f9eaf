package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotated device CA (External Secrets replacing the file under a running gateway) also governs the certificates a
 * trusted front proxy forwards, not only the TLS handshake: a device of the new CA is believed once the file has
 * changed, and a device of a CA taken out of the file is refused at once, even though it was validated (and cached)
 * before.
 */
class ForwardedCertificateCaReloadIT extends GatewayITSupport {

    @TempDir
    Path otherDir;
    private InventoryStub inventory;

    @Override
    protected String config(URI upstreamUri) {
        return ForwardedCertificateIT.devicesRoute(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        builder.property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.timeout", "5s")
                .property("gatehouse.key-watch.poll-interval", "200ms")
                .property("gatehouse.trusted-proxies", "127.0.0.1/32");
    }

    @AfterAll
    void stopInventory() {
        inventory.close();
    }

    private GatewayClient.Response forwarding(DevPki.Issued device) throws Exception {
        return ForwardedCertificateIT.forwarding(client(), device);
    }

    @Test
    void deviceCaWhenFileRotatedThenForwardedCertificatesJudgedByTheNewCa() throws Exception {
        DevPki.Issued oldLaptop = gateway.pki().issueDevice("old-ca-laptop");
        inventory.posture(oldLaptop.sha256(), ForwardedCertificateIT.HIGH);
        DevPki next = DevPki.create(otherDir, "next-device-ca");
        DevPki.Issued newLaptop = next.issueDevice("new-ca-laptop");
        inventory.posture(newLaptop.sha256(), ForwardedCertificateIT.HIGH);
        Path deviceCa = gateway.pki().caPem();
        String oldCa = Files.readString(deviceCa);
        String newCa = Files.readString(next.caPem());

        assertThat(forwarding(oldLaptop).status()).isEqualTo(200);
        assertThat(forwarding(newLaptop).body()).contains("forwarded client certificate rejected");

        replace(deviceCa, oldCa + newCa);
        Awaitility.await("a device of the added CA is believed").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> forwarding(newLaptop).status() == 200);
        assertThat(forwarding(oldLaptop).status()).isEqualTo(200);

        replace(deviceCa, newCa);
        Awaitility.await("a device of the removed CA is refused").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> forwarding(oldLaptop).status() != 200);
        GatewayClient.Response refused = forwarding(oldLaptop);
        assertThat(refused.status()).as(refused.body()).isIn(401, 403);
        assertThat(refused.body()).contains("forwarded client certificate rejected");
        assertThat(forwarding(newLaptop).status()).isEqualTo(200);
    }

    /** Writes beside the file and moves it into place, as a Secret volume update does (never a half-written file). */
    private static void replace(Path file, String content) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
