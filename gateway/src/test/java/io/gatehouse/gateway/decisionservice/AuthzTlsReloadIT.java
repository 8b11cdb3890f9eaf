package io.gatehouse.gateway.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.gatehouse.gateway.decisionservice.grpc.GrpcListener;
import io.gatehouse.gateway.decisionservice.http.AuthzHttpServer;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.gateway.testing.SecretVolume;
import io.gatehouse.testsupport.DevPki;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * good set is taken. The callers' CA ({@code gatehouse.authz.client-ca}) follows its file the same way.
 */
class AuthzTlsReloadIT {

    private static final String FAILURES = "gatehouse_tls_authz_reload_failures_total";
    private static final String RELOADS = "gatehouse_tls_authz_reloads_total";
    private static final String CALLER = "spiffe://gatehouse.test/ns/edge/sa/envoy";

    @TempDir
    Path dir;

    private DevPki pki;
    private SecretVolume tls;

    private RunningGateway start() {
        return builder().property("gatehouse.authz.callers[0].cidrs[0]", "127.0.0.1/32").start();
    }

    private RunningGateway.Builder builder() {
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
                .property("gatehouse.authz.tls.certificate", tls.file("tls.crt"))
                .property("gatehouse.authz.tls.private-key", tls.file("tls.key"))
                .property("gatehouse.key-watch.poll-interval", "200ms");
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

    /** Whether the HTTP listener completes a request from {@code caller} (a refused certificate fails the read). */
    private static boolean httpAccepts(RunningGateway gateway, DevPki.Issued caller) {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(gateway.pki(), caller).getSocketFactory()
                .createSocket("127.0.0.1", httpPort(gateway))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /authz/nginx HTTP/1.1\r\nHost: gatehouse-authz\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(8);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1");
        } catch (IOException refused) {
            return false;
        }
    }

    /** Whether the gRPC listener takes a call from {@code caller} (UNAVAILABLE: the handshake failed). */
    private static boolean grpcAccepts(RunningGateway gateway, DevPki.Issued caller) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort(gateway))
                .sslContext(GrpcSslContexts.forClient().trustManager(gateway.pki().caPem().toFile())
                        .keyManager(caller.certificatePem().toFile(), caller.keyPem().toFile()).build())
                .build();
        try {
            AuthorizationGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(CheckRequest.getDefaultInstance());
            return true;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() != Status.Code.UNAVAILABLE;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
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

    @Test
    void authzTlsWhenClientCaSwappedThenCallersOfTheNewCaAcceptedAndOfTheOldRefusedOnBothListeners() throws Exception {
        SecretVolume clientCa = SecretVolume.create(dir.resolve("client-ca"));
        DevPki first = DevPki.create(dir.resolve("callers-1"), "callers-ca-1");
        DevPki next = DevPki.create(dir.resolve("callers-2"), "callers-ca-2");
        clientCa.publishFiles(Map.of("ca.crt", first.caPem()));
        try (RunningGateway gateway = builder()
                .property("gatehouse.authz.client-ca", clientCa.file("ca.crt"))
                .property("gatehouse.authz.callers[0].san[0]", CALLER).start()) {
            DevPki.Issued oldCaller = first.issueCaller("envoy-old", CALLER);
            DevPki.Issued newCaller = next.issueCaller("envoy-new", CALLER);
            assertThat(httpAccepts(gateway, oldCaller)).isTrue();
            assertThat(grpcAccepts(gateway, oldCaller)).isTrue();
            assertThat(httpAccepts(gateway, newCaller)).isFalse();

            clientCa.publishFiles(Map.of("ca.crt", next.caPem()));

            await().atMost(Duration.ofSeconds(15)).until(() -> httpAccepts(gateway, newCaller));
            assertThat(grpcAccepts(gateway, newCaller)).isTrue();
            assertThat(httpAccepts(gateway, oldCaller)).isFalse();
            assertThat(grpcAccepts(gateway, oldCaller)).isFalse();
            assertThat(metric(gateway, RELOADS)).isEqualTo(1.0);
        }
    }
}
