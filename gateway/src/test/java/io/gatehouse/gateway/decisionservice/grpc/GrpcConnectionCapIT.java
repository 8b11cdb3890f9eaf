package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RawConnection;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attack on the Envoy gRPC ext_authz listener's connections, black-box against a running gateway
 * ({@code gatehouse.authz.grpc.max-connections}): whoever reaches the port opens connections without end. With the
 * cap reached, one more (plain TCP, or a TLS gRPC channel of a trusted caller) is closed at once, the open ones
 * go on getting Check answers, the refusal is counted on the management port, and a slot freed by a close is given
 * to the next caller.
 */
class GrpcConnectionCapIT extends GatewayITSupport {

    private static final int CAP = 4;
    private static final String ENVOY = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway";

    private int grpcPort;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://app.localhost
                    to: %s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        grpcPort = freePort();
        DevPki pki = DevPki.create(dir.resolve("pki"));
        builder.pki(pki)
                .property("gatehouse.authz.grpc.port", grpcPort)
                .property("gatehouse.authz.grpc.max-connections", CAP)
                .property("gatehouse.authz.client-ca", pki.caPem().toString())
                .property("gatehouse.authz.callers[0].name", "ingress")
                .property("gatehouse.authz.callers[0].san[0]", ENVOY);
    }

    @AfterEach
    void closeChannels() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.clear();
    }

    @Test
    void connectWhenCapReachedThenExtraClosedAtOnceOpenOnesAnsweredAndFreedSlotReused() throws Exception {
        List<ManagedChannel> open = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            ManagedChannel channel = channel();
            open.add(channel);
            assertThat(check(channel).getStatus().getCode()).as("check on connection %d", i).isZero();
        }
        double refusedBefore = refused();

        try (RawConnection extra = RawConnection.tcp(grpcPort)) {
            assertThat(extra.closedWithin(Duration.ofSeconds(2))).as("TCP connection over the cap closed").isTrue();
        }
        StatusRuntimeException overCap = catchThrowableOfType(StatusRuntimeException.class, () -> check(channel()));
        assertThat(overCap).as("a gRPC channel over the cap gets no answer").isNotNull();
        assertThat(overCap.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

        for (int i = 0; i < CAP; i++) {
            assertThat(check(open.get(i)).getStatus().getCode()).as("connection %d still answered", i).isZero();
        }
        assertThat(refused()).as("refusals counted").isGreaterThanOrEqualTo(refusedBefore + 2);
        assertThat(metrics()).containsPattern("(?m)^gatehouse_authz_grpc_listener_connections(\\{[^}]*\\})? 4\\.0$");

        open.remove(0).shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).ignoreException(StatusRuntimeException.class).untilAsserted(() -> {
            ManagedChannel next = channel();
            try {
                assertThat(check(next).getStatus().getCode()).isZero();
            } finally {
                next.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        });
    }

    /** A channel of the trusted caller: one TLS connection with its client certificate, opened on first use. */
    private ManagedChannel channel() throws SSLException {
        DevPki.Issued caller = gateway.pki().issueCaller("envoy", ENVOY);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(gateway.pki().caPem().toFile())
                        .keyManager(caller.certificatePem().toFile(), caller.keyPem().toFile())
                        .build())
                .build();
        channels.add(channel);
        return channel;
    }

    private static CheckResponse check(ManagedChannel channel) {
        CheckRequest request = CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("198.51.100.7").setPortValue(51234))))
                .setRequest(AttributeContext.Request.newBuilder().setHttp(AttributeContext.HttpRequest.newBuilder()
                        .setId("cap").setMethod("GET").setScheme("https").setHost("app.localhost").setPath("/")
                        .setProtocol("HTTP/2").putHeaders(":authority", "app.localhost")
                        .putHeaders(":method", "GET").putHeaders(":path", "/").putHeaders(":scheme", "https"))))
                .build();
        return AuthorizationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).check(request);
    }

    private double refused() throws IOException, InterruptedException {
        return metrics().lines()
                .filter(l -> l.startsWith("gatehouse_authz_grpc_listener_connections_refused_total{")
                        && l.contains("reason=\"max-connections\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
