package io.gatehouse.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.gateway.testing.SecretVolume;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server certificate and the device CA are replaced under a running gateway, Kubernetes-Secret style (symlink
 * swap of {@code ..data}): new connections get the new certificate / the new trust, without a restart; a broken
 * pair changes nothing but a failure counter.
 */
class TlsReloadIT {

    @TempDir
    Path dir;

    private DevPki pki;
    private SecretVolume tls;
    private SecretVolume deviceCa;

    private RunningGateway start(EchoUpstream upstream) {
        pki = DevPki.create(dir.resolve("pki"));
        tls = SecretVolume.create(dir.resolve("tls"));
        tls.publishFiles(Map.of("tls.crt", pki.server().certificatePem(), "tls.key", pki.server().keyPem()));
        deviceCa = SecretVolume.create(dir.resolve("device-ca"));
        deviceCa.publishFiles(Map.of("ca.crt", pki.caPem()));
        return RunningGateway.builder(dir).pki(pki).config("""
                        routes:
                          - id: echo
                            from: https://localhost
                            to: %s
                            policy:
                              allow: [{name: anyone, public: true}]
                        """.formatted(upstream.uri()))
                .property("server.ssl.certificate", tls.file("tls.crt"))
                .property("server.ssl.certificate-private-key", tls.file("tls.key"))
                .property("gatehouse.device-ca", deviceCa.file("ca.crt"))
                .property("gatehouse.key-watch.poll-interval", "200ms")
                .start();
    }

    private static BigInteger servedSerial(RunningGateway gateway) throws Exception {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), null).getSocketFactory()
                .createSocket("127.0.0.1", gateway.httpsPort())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static double metric(RunningGateway gateway, String name) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static boolean deviceAccepted(GatewayClient client, DevPki.Issued device) {
        try {
            return client.withDevice(device).raw("GET /device HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .startsWith("HTTP/1.1 200");
        } catch (UncheckedIOException handshakeRefused) {
            return false;
        }
    }

    @Test
    void tlsWhenCertificateAndKeySwappedThenNewConnectionsGetTheNewCertificate() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start(); RunningGateway gateway = start(upstream)) {
            assertThat(servedSerial(gateway)).isEqualTo(pki.server().certificate().getSerialNumber());
            DevPki.Issued renewed = pki.issueServer("server-renewed");

            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.keyPem()));

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> servedSerial(gateway).equals(renewed.certificate().getSerialNumber()));
            DevPki.Issued laptop = pki.issueDevice("laptop");
            assertThat(gateway.client().get("/h1").status()).isEqualTo(200);
            assertThat(gateway.client().http2().get("/h2").protocol()).isEqualTo("HTTP/2.0");
            assertThat(gateway.client().withDevice(laptop).http2().get("/h2-device").status()).isEqualTo(200);
            assertThat(deviceAccepted(gateway.client(), laptop)).isTrue();
            assertThat(metric(gateway, "gatehouse_tls_reloads_total")).isEqualTo(1.0);
        }
    }

    @Test
    void tlsWhenNewCertificateDoesNotMatchTheKeyThenOldCertificateKeptAndFailureCounted() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start(); RunningGateway gateway = start(upstream)) {
            DevPki.Issued renewed = pki.issueServer("server-renewed");

            // Half a rotation: the new certificate with the old key.
            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", pki.server().keyPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> metric(gateway, "gatehouse_tls_reload_failures_total") == 1.0);
            assertThat(servedSerial(gateway)).isEqualTo(pki.server().certificate().getSerialNumber());
            assertThat(gateway.client().get("/still").status()).isEqualTo(200);
            assertThat(metric(gateway, "gatehouse_tls_reloads_total")).isZero();
        }
    }

    @Test
    void tlsWhenDeviceCaSwappedThenDevicesOfTheNewCaAcceptedAndOfTheOldRefused() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start(); RunningGateway gateway = start(upstream)) {
            DevPki next = DevPki.create(dir.resolve("next-ca"), "next-device-ca");
            DevPki.Issued oldLaptop = pki.issueDevice("old-laptop");
            DevPki.Issued newLaptop = next.issueDevice("new-laptop");
            assertThat(deviceAccepted(gateway.client(), oldLaptop)).isTrue();
            assertThat(deviceAccepted(gateway.client(), newLaptop)).isFalse();

            deviceCa.publishFiles(Map.of("ca.crt", next.caPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> deviceAccepted(gateway.client(), newLaptop));
            assertThat(deviceAccepted(gateway.client(), oldLaptop)).isFalse();
            assertThat(gateway.client().http2().withDevice(newLaptop).get("/h2-new-device").status()).isEqualTo(200);
            assertThat(gateway.client().get("/no-device").status()).isEqualTo(200);
        }
    }

    @Test
    void tlsWhenOperatorsOwnBundleWithReloadOnUpdateThenBootReloadsItAndDeviceCaInItsTruststoreIsTrusted() throws Exception {
        pki = DevPki.create(dir.resolve("pki"));
        tls = SecretVolume.create(dir.resolve("tls"));
        tls.publishFiles(Map.of("tls.crt", pki.server().certificatePem(), "tls.key", pki.server().keyPem()));
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
                     .property("server.ssl.bundle", "public")
                     .property("spring.ssl.bundle.pem.public.reload-on-update", true)
                     .property("spring.ssl.bundle.pem.public.keystore.certificate", tls.file("tls.crt"))
                     .property("spring.ssl.bundle.pem.public.keystore.private-key", tls.file("tls.key"))
                     .property("spring.ssl.bundle.pem.public.truststore.certificate", pki.caPem())
                     .property("spring.ssl.bundle.watch.file.quiet-period", "200ms")
                     .start()) {
            DevPki.Issued laptop = pki.issueDevice("laptop");
            assertThat(deviceAccepted(gateway.client(), laptop)).isTrue();
            DevPki.Issued stranger = DevPki.create(dir.resolve("stranger"), "stranger").issueDevice("foreign");
            assertThat(deviceAccepted(gateway.client(), stranger)).isFalse();
            DevPki.Issued renewed = pki.issueServer("server-renewed");

            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.keyPem()));

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> servedSerial(gateway).equals(renewed.certificate().getSerialNumber()));
            assertThat(deviceAccepted(gateway.client(), laptop)).isTrue();
            assertThat(gateway.client().http2().get("/h2").status()).isEqualTo(200);
        }
    }
}
