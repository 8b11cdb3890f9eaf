package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 18, item 6: the upstream connection pool is bounded, drops connections before an upstream's keep-alive
 * timeout can race a request, and every way of not reaching the upstream (a name that does not resolve, a
 * certificate that is not trusted, no free connection) is a problem+json answer with the request id, never a 500.
 * Every test runs over HTTP/1.1 and HTTP/2 on the public listener.
 */
class UpstreamPoolIT extends GatewayITSupport {

    private EchoUpstream stalled;
    private DisposableServer untrustedTls;
    private StaleKeepAliveUpstream staleKeepAlive;

    @Override
    protected String config(URI upstream) {
        stalled = EchoUpstream.start();
        untrustedTls = startUntrustedTls();
        staleKeepAlive = new StaleKeepAliveUpstream(Duration.ofSeconds(1));
        return """
                routes:
                  - {id: echo, from: https://localhost, to: %s, policy: {allow: [{name: anyone, public: true}]}}
                  - {id: nxdomain, from: https://nxdomain.localhost, to: "http://no-such-upstream.invalid:8080",
                     policy: {allow: [{name: anyone, public: true}]}}
                  - {id: badtls, from: https://badtls.localhost, to: "https://127.0.0.1:%d",
                     policy: {allow: [{name: anyone, public: true}]}}
                  - {id: stalled, from: https://stalled.localhost, to: %s, policy: {allow: [{name: anyone, public: true}]}}
                  - {id: keepalive, from: https://keepalive.localhost, to: %s,
                     policy: {allow: [{name: anyone, public: true}]}}
                """.formatted(upstream, untrustedTls.port(), stalled.uri(), staleKeepAlive.uri());
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.forward.response-timeout", "10s")
                .property("gatehouse.forward.pool.max-connections", 1)
                .property("gatehouse.forward.pool.acquire-timeout", "500ms");
    }

    @AfterAll
    void stopUpstreams() {
        stalled.close();
        untrustedTls.disposeNow();
        staleKeepAlive.close();
    }

    private GatewayClient client(boolean http2) {
        return http2 ? client().http2() : client();
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void forwardWhenUpstreamNameDoesNotResolveThen502WithRequestId(boolean http2) {
        GatewayClient.Response response = client(http2).get("/", Map.of("Host", "nxdomain.localhost"));

        assertProblem(response, 502);
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void forwardWhenUpstreamCertificateIsNotTrustedThen502WithRequestId(boolean http2) {
        GatewayClient.Response response = client(http2).get("/", Map.of("Host", "badtls.localhost"));

        assertProblem(response, 502);
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void forwardWhenEveryPooledConnectionIsBusyPastAcquireTimeoutThen503WithRetryAfter(boolean http2) {
        stalled.clear();
        stalled.slow(Duration.ofSeconds(4));
        CompletableFuture<GatewayClient.Response> holder = CompletableFuture.supplyAsync(
                () -> client(http2).get("/hold", Map.of("Host", "stalled.localhost")));
        await().atMost(Duration.ofSeconds(10)).until(() -> stalled.received().size() == 1);

        GatewayClient.Response response = client(http2).get("/second", Map.of("Host", "stalled.localhost"));

        assertProblem(response, 503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(stalled.received()).as("the second request never reached the upstream").hasSize(1);
        assertThat(holder.join().status()).isEqualTo(200);
    }

    @Test
    void metricsWhenPoolBoundedThenItsLimitIsExportedPerUpstream() throws Exception {
        client().get("/warm");

        java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(metrics.body()).containsPattern(
                "(?m)^reactor_netty_connection_provider_max_connections\\{[^}]*remote_address=\"127\\.0\\.0\\.1:"
                        + upstream.port() + "\"[^}]*} 1\\.0$");
        assertThat(metrics.body()).contains("reactor_netty_connection_provider_pending_connections{");
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void forwardWhenUpstreamDropsKeepAliveConnectionsIdleForOneSecondThenRequestsSpacedFurtherApartNever502(
            boolean http2) {
        List<Integer> statuses = new ArrayList<>();
        statuses.add(client(http2).get("/first", Map.of("Host", "keepalive.localhost")).status());
        for (int i = 0; i < 2; i++) {
            // The pooled connection sits idle for 1.5 s, longer than the upstream keeps it.
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> staleKeepAlive.idleLongerThan(Duration.ofMillis(1500)));
            statuses.add(client(http2).get("/again-" + i, Map.of("Host", "keepalive.localhost")).status());
        }

        assertThat(statuses).containsOnly(200);
        assertThat(staleKeepAlive.dropped()).as("stale connections the gateway tried to reuse").isZero();
    }

    private static void assertProblem(GatewayClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().path("request_id").asText()).isNotBlank().isEqualTo(response.header("X-Request-Id"));
    }

    /** HTTPS on loopback with a self-signed certificate, which the gateway's upstream client does not trust. */
    private static DisposableServer startUntrustedTls() {
        try {
            SelfSignedCertificate self = new SelfSignedCertificate("localhost");
            return HttpServer.create().host("127.0.0.1").port(0)
                    .secure(ssl -> ssl.sslContext(Http11SslContextSpec.forServer(self.key(), self.cert())))
                    .handle((req, res) -> res.sendString(reactor.core.publisher.Mono.just("never read")))
                    .bindNow(Duration.ofSeconds(10));
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An HTTP/1.1 upstream with keep-alive whose idle timeout races the gateway's next request: a request that
     * arrives on a connection idle for longer than {@code idle} is met by the close the upstream had decided on
     * (FIN, no answer), as when its close and the request cross on the wire. Anything sooner is answered 200.
     * One daemon thread per connection; at most a few connections in a test.
     */
    static final class StaleKeepAliveUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final Duration idle;
        private final AtomicInteger dropped = new AtomicInteger();
        private volatile long lastAnswered = System.nanoTime();

        StaleKeepAliveUpstream(Duration idle) {
            this.idle = idle;
            try {
                server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread accept = new Thread(this::accept, "stale-keepalive-accept");
            accept.setDaemon(true);
            accept.start();
        }

        boolean idleLongerThan(Duration d) {
            return Duration.ofNanos(System.nanoTime() - lastAnswered).compareTo(d) > 0;
        }

        int dropped() {
            return dropped.get();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread t = new Thread(() -> serve(socket), "stale-keepalive-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)); OutputStream out = socket.getOutputStream()) {
                long idleSince = System.nanoTime();
                for (int requests = 0; requests < 1000; requests++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    if (Duration.ofNanos(System.nanoTime() - idleSince).compareTo(idle) > 0) {
                        dropped.incrementAndGet();
                        return; // the idle close wins the race: FIN, no answer
                    }
                    while (line != null && !line.isEmpty()) {
                        line = in.readLine();
                    }
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    idleSince = System.nanoTime();
                    lastAnswered = idleSince;
                }
            } catch (IOException e) {
                // the gateway closed the connection: nothing to answer
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
