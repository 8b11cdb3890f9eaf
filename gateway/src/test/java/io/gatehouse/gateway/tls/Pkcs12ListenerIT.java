package io.gatehouse.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.RunningGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public listener's certificate from a PKCS#12 store instead of PEM files. */
class Pkcs12ListenerIT {

    @TempDir
    Path dir;

    @Test
    void tlsWhenCertificateFromPkcs12StoreThenServedAndDeviceCertificatesStillAccepted() {
        DevPki pki = DevPki.create(dir.resolve("pki"));
        try (EchoUpstream upstream = EchoUpstream.start();
             RunningGateway gateway = RunningGateway.builder(dir).pki(pki).config("""
                     routes:
                       - id: echo
                         from: https://localhost
                         to: %s
                         policy:
                           allow: [{name: anyone, public: true}]
                     """.formatted(upstream.uri()))
                     .property("server.ssl.certificate", null)
                     .property("server.ssl.certificate-private-key", null)
                     .property("server.ssl.key-store", pki.server().pkcs12())
                     .property("server.ssl.key-store-type", "PKCS12")
                     .property("server.ssl.key-store-password", DevPki.PASSWORD)
                     .start()) {
            assertThat(gateway.client().get("/p12").status()).isEqualTo(200);
            assertThat(gateway.client().withDevice(pki.issueDevice("laptop")).get("/p12-device").status()).isEqualTo(200);
            assertThat(upstream.last().path()).isEqualTo("/p12-device");
        }
    }
}
