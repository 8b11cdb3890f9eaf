package io.gatehouse.gateway.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.decisionservice.grpc.GrpcListener;
import io.gatehouse.gateway.decisionservice.http.AuthzHttpServer;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.gateway.testing.SecretVolume;
import io.gatehouse.testsupport.DevPki;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision listeners' certificate and key ({@code gatehouse.authz.tls.*}) are replaced under a running gateway,
 * Kubernetes-Secret style (symlink swap of {@code ..data}): new connections to the HTTP and the gRPC listener get the
 * new certificate without a restart; a broken or mismatched set changes nothing but a failure counter, and the next
 * good set is taken.
 */
class AuthzTlsReloadIT {

    private static final String FAILURES = "gatehouse_tls_authz_reload_failures_total";
    private static final String RELOADS = "gatehouse_tls_authz_reloads_total";

    @TempDir
    Path dir;

    private DevPki pki;
    private SecretVolume tls;

    private RunningGateway start() {
        pki = DevPki.create(dir.resolve("pki"));
        tls = SecretVolume.create(dir.resolve("authz-tls"));
        tls.publishFiles(Map.of("tls.crt", pki.server().certificatePem(), "tls.key", pki.server().keyPem()));
        return RunningGateway.builder(dir).pki(pki).config("""
                        routes:
                          - id: app
                            from: https://app.localhost
                            to: http://127.0.0.1:9
                            policy:
                              allow: [{name: anyone, public: true}]
                        """)
                .property("gatehouse.authz.http.port", 0)
                .property("gatehouse.authz.grpc.port", 0)
                .property("gatehouse.authz.callers[0].cidrs[0]", "127.0.0.1/32")
                .property("gatehouse.authz.tls.certificate", tls.file("tls.crt"))
                .property("gatehouse.authz.tls.private-key", tls.file("tls.key"))
                .property("gatehouse.key-watch.poll-interval", "200ms")
                .start();
    }

    private static int httpPort(RunningGateway gateway) {
        return gateway.context().getBean(AuthzHttpServer.class).port();
    }

    private static int grpcPort(RunningGateway gateway) {
        return gateway.context().getBean(GrpcListener.class).port();
    }

    /** The serial of the certificate a new connection to {@code port} is served (ALPN h2, as Envoy and nginx do). */
    private static BigInteger servedSerial(RunningGateway gateway, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), null).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static boolean bothServe(RunningGateway gateway, DevPki.Issued certificate) throws IOException {
        BigInteger serial = certificate.certificate().getSerialNumber();
        return servedSerial(gateway, httpPort(gateway)).equals(serial)
                && servedSerial(gateway, grpcPort(gateway)).equals(serial);
    }

    private static double metric(RunningGateway gateway, String name) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(metrics.body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void authzTlsWhenCertificateAndKeySwappedThenNewConnectionsToBothListenersGetTheNewCertificate() throws Exception {
        try (RunningGateway gateway = start()) {
            assertThat(bothServe(gateway, pki.server())).isTrue();
            DevPki.Issued renewed = pki.issueServer("authz-renewed");

            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.keyPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> bothServe(gateway, renewed));
            assertThat(metric(gateway, RELOADS)).isEqualTo(1.0);
            assertThat(metric(gateway, FAILURES)).isZero();
        }
    }

    @Test
    void authzTlsWhenCertificateFileIsCutOffThenLastGoodCertificateServedAndFailureCounted() throws Exception {
        try (RunningGateway gateway = start()) {
            DevPki.Issued renewed = pki.issueServer("authz-renewed");
            byte[] pem = Files.readAllBytes(renewed.certificatePem());

            // A half-written certificate next to its (complete) new key.
            tls.publish(Map.of("tls.crt", Arrays.copyOf(pem, pem.length / 2),
                    "tls.key", Files.readAllBytes(renewed.keyPem())));

            await().atMost(Duration.ofSeconds(15)).until(() -> metric(gateway, FAILURES) == 1.0);
            assertThat(bothServe(gateway, pki.server())).isTrue();
            assertThat(metric(gateway, RELOADS)).isZero();

            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.keyPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> bothServe(gateway, renewed));
            assertThat(metric(gateway, FAILURES)).isEqualTo(1.0);
        }
    }

    @Test
    void authzTlsWhenNewCertificateArrivesBeforeItsKeyThenTheOldPairIsServedUntilTheKeyFollows() throws Exception {
        try (RunningGateway gateway = start()) {
            DevPki.Issued renewed = pki.issueServer("authz-renewed");

            // A rotation written in two steps: first the certificate (with the old key still in place) ...
            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", pki.server().keyPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> metric(gateway, FAILURES) == 1.0);
            assertThat(bothServe(gateway, pki.server())).isTrue();

            // ... then the key.
            tls.publishFiles(Map.of("tls.crt", renewed.certificatePem(), "tls.key", renewed.keyPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> bothServe(gateway, renewed));
            assertThat(metric(gateway, RELOADS)).isEqualTo(1.0);
        }
    }
}
