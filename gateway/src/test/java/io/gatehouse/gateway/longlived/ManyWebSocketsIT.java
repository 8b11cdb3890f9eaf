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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Many WebSockets held open through one gateway at once, each tracked as a long-lived connection (docs/design.md,
 * "Long-lived connections"): every one of them echoes right after its upgrade, whether opened one after another
 * (each on its own client connection, as {@code HttpClient.newConnection()} does) or all at once (from one bounded
 * client pool). Guards the registration of upgrades and the proxy to the upstream under a burst.
 */
class ManyWebSocketsIT extends GatewayITSupport {

    private static final int SOCKETS = 100;
    private static final Duration ECHO_WITHIN = Duration.ofSeconds(5);

    private DisposableServer wsUpstream;
    private final List<HeldWebSocket> held = new ArrayList<>();

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.long-lived.redecide-interval", "2s");
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

    @AfterEach
    void closeSockets() {
        held.forEach(HeldWebSocket::close);
        held.clear();
    }

    @AfterAll
    void stopWsUpstream() {
        if (wsUpstream != null) {
            wsUpstream.disposeNow(Duration.ofSeconds(5));
        }
    }

    @Test
    void websocketsWhenOpenedOneAfterAnotherOnNewConnectionsThenEachEchoes() {
        ConnectionProvider own = ConnectionProvider.newConnection();
        for (int i = 0; i < SOCKETS; i++) {
            HeldWebSocket socket = HeldWebSocket.open(gateway, "/seq/" + i, null, Map.of(), own);
            held.add(socket);
            String hello = "hello " + i;
            socket.send(hello);
            int n = i;
            await().alias("socket " + n + " echoes").atMost(ECHO_WITHIN)
                    .until(() -> socket.received().contains(hello) || socket.ended());
            assertThat(socket.received()).as("socket %d (failure %s)", n, socket.failure()).contains(hello);
        }
        assertThat(held).noneMatch(HeldWebSocket::ended);
    }

    @Test
    void websocketsWhenOpenedAllAtOnceThenEachEchoes() {
        ConnectionProvider pool = ConnectionProvider.builder("many-websockets").maxConnections(SOCKETS)
                .pendingAcquireMaxCount(SOCKETS).pendingAcquireTimeout(Duration.ofSeconds(30)).build();
        try {
            for (int i = 0; i < SOCKETS; i++) {
                HeldWebSocket socket = HeldWebSocket.open(gateway, "/burst/" + i, null, Map.of(), pool);
                held.add(socket);
                socket.send("hello " + i);
            }
            // All at once on a shared 2-core machine: the burst gets longer, each socket still answers.
            await().atMost(ECHO_WITHIN.multipliedBy(6)).until(() -> held.stream()
                    .allMatch(s -> s.received().contains("hello " + held.indexOf(s)) || s.ended()));
            for (int i = 0; i < SOCKETS; i++) {
                assertThat(held.get(i).received()).as("socket %d (failure %s)", i, held.get(i).failure())
                        .contains("hello " + i);
            }
        } finally {
            closeSockets();
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
