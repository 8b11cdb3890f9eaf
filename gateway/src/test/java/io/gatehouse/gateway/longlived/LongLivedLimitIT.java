package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.HeldWebSocket;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 22: the registry of long-lived connections is bounded and nothing lives untracked: with
 * {@code max-connections} 2, a third WebSocket upgrade is refused 503 (never let through unwatched), and once one of
 * the two ends there is room again.
 */
class LongLivedLimitIT extends GatewayITSupport {

    private DisposableServer wsUpstream;
    private final List<HeldWebSocket> held = new ArrayList<>();

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.long-lived.max-connections", "2");
    }

    @Override
    protected String config(URI upstreamUri) {
        wsUpstream = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> res.sendWebsocket((in, out) -> out.sendString(in.receive().asString())))
                .bindNow(Duration.ofSeconds(10));
        return """
                routes:
                  - id: ws
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(wsUpstream.port());
    }

    @AfterAll
    void stop() {
        held.forEach(HeldWebSocket::close);
        wsUpstream.disposeNow(Duration.ofSeconds(5));
    }

    private HeldWebSocket open(String path) {
        HeldWebSocket socket = HeldWebSocket.open(gateway, path);
        held.add(socket);
        return socket;
    }

    private String scrape() throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        gateway.managementUri("/actuator/prometheus")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void echoes(HeldWebSocket socket) {
        socket.send("hi");
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.received().contains("hi"));
    }

    @Test
    void upgradeWhenMaxConnectionsOpenThen503UntilOneEnds() throws Exception {
        HeldWebSocket first = open("/one");
        echoes(first);
        echoes(open("/two"));

        HeldWebSocket third = open("/three");
        await().atMost(Duration.ofSeconds(10)).until(() -> third.refusedStatus() != null || third.ended());

        assertThat(third.refusedStatus()).isEqualTo(503);
        first.close();
        await("the first connection leaves the registry").atMost(Duration.ofSeconds(10))
                .until(() -> scrape().contains("gatehouse_long_lived_connections{kind=\"websocket\",route=\"ws\"} 1.0"));
        HeldWebSocket fourth = open("/four");
        fourth.send("again");
        await().atMost(Duration.ofSeconds(10)).until(() -> fourth.received().contains("again") || fourth.ended());
        assertThat(fourth.received()).contains("again");
    }
}
