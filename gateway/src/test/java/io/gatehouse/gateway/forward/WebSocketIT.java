package io.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.server.HttpServer;

/** Only a WebSocket upgrade is forwarded, and only after the decision; the handshake carries the assertion. */
class WebSocketIT extends GatewayITSupport {

    private DisposableServer wsUpstream;
    private final AtomicReference<String> handshakeAssertion = new AtomicReference<>();

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.forward.response-timeout", "1s")
                // The listener's timeouts are for HTTP requests; an upgraded connection may stay quiet longer.
                .property("gatehouse.listener.header-read-timeout", "1s")
                .property("gatehouse.listener.body-read-timeout", "1s")
                .property("gatehouse.listener.body-timeout", "1s")
                .property("server.netty.idle-timeout", "1s");
    }

    @Override
    protected String config(URI upstreamUri) {
        wsUpstream = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    handshakeAssertion.set(req.requestHeaders().get("X-Gatehouse-Assertion"));
                    return res.sendWebsocket((in, out) -> out.sendString(in.receive().asString()));
                })
                .bindNow(Duration.ofSeconds(10));
        return """
                routes:
                  - id: ws
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow: [{name: anyone, public: true}]
                      deny: [{name: no-admin, paths: ["/admin/**"]}]
                """.formatted(wsUpstream.port());
    }

    @AfterAll
    void stopWsUpstream() {
        if (wsUpstream != null) {
            wsUpstream.disposeNow(Duration.ofSeconds(5));
        }
    }

    private HttpClient tlsClient() throws Exception {
        var ssl = SslContextBuilder.forClient().trustManager(gateway.pki().caCertificate()).build();
        return HttpClient.create().secure(spec -> spec.sslContext(ssl)).headers(h -> h.set("Host", "localhost"));
    }

    @Test
    void websocketWhenAllowedThenUpgradeForwardedWithAssertion() throws Exception {
        String echoed = tlsClient().websocket(WebsocketClientSpec.builder().build())
                .uri("wss://127.0.0.1:" + gateway.httpsPort() + "/chat")
                .handle((in, out) -> out.sendString(Mono.just("ping")).then().thenMany(in.receive().asString().take(1)))
                .blockFirst(Duration.ofSeconds(20));

        assertThat(echoed).isEqualTo("ping");
        assertThat(handshakeAssertion.get()).isNotBlank();
    }

    @Test
    void websocketWhenQuietLongerThanResponseTimeoutThenStillOpen() throws Exception {
        // The response timeout and the listener's timeouts (1 s here) cover HTTP requests and answers; an upgraded
        // connection may stay quiet.
        String echoed = tlsClient().websocket(WebsocketClientSpec.builder().build())
                .uri("wss://127.0.0.1:" + gateway.httpsPort() + "/quiet")
                .handle((in, out) -> out.sendString(Mono.just("after a pause").delayElement(Duration.ofMillis(2500)))
                        .then().thenMany(in.receive().asString().take(1)))
                .blockFirst(Duration.ofSeconds(20));

        assertThat(echoed).isEqualTo("after a pause");
    }

    /** The bytes of an upgraded connection are no request head: the header timeout (1 s here) does not cut it. */
    @Test
    void websocketWhenMessagesSpacedLongerThanListenerTimeoutsThenStillOpen() throws Exception {
        List<String> echoed = tlsClient().websocket(WebsocketClientSpec.builder().build())
                .uri("wss://127.0.0.1:" + gateway.httpsPort() + "/spaced")
                .handle((in, out) -> out.sendString(Flux.just("one", "two", "three")
                                .delayElements(Duration.ofMillis(1500)))
                        .then().thenMany(in.receive().asString().take(3)))
                .collectList().block(Duration.ofSeconds(20));

        assertThat(echoed).containsExactly("one", "two", "three");
    }

    @Test
    void websocketWhenDeniedThenHandshakeRefusedBeforeUpstream() throws Exception {
        handshakeAssertion.set(null);
        Throwable failure = null;
        try {
            tlsClient().websocket().uri("wss://127.0.0.1:" + gateway.httpsPort() + "/admin/socket")
                    .handle((in, out) -> in.receive().asString().take(1)).blockFirst(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            failure = e;
        }

        assertThat(failure).isNotNull().hasStackTraceContaining("403");
        assertThat(handshakeAssertion.get()).isNull();
    }
}
