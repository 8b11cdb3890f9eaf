package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.device.InventoryStub;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.HeldWebSocket;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
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

    private static final int DEVICES = 50;
    private static final String HIGH = """
            {"id": "dev", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example"}""";

    private DisposableServer wsUpstream;
    private InventoryStub inventory;
    private final List<HeldWebSocket> held = new ArrayList<>();

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        builder.property("gatehouse.long-lived.redecide-interval", "2s")
                .property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.inventory.timeout", "5s");
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
                      allow:
                        - {name: good-devices, public: true, paths: ["/device/**"], device: {trust: high}}
                        - {name: anyone, public: true, paths: ["/seq/**", "/burst/**"]}
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
        if (inventory != null) {
            inventory.close();
        }
    }

    /**
     * The decision waits for the inventory's answer (each device is new to the posture cache), so the upgrade is
     * answered from another thread than the client connection's event loop: the first message, sent right after
     * the 101, still reaches the upstream.
     */
    @Test
    void websocketsWhenDecisionWaitedForPostureThenEachEchoesItsFirstMessage() {
        ConnectionProvider own = ConnectionProvider.newConnection();
        for (int i = 0; i < DEVICES; i++) {
            DevPki.Issued device = gateway.pki().issueDevice("many-" + i);
            inventory.posture(device.sha256(), HIGH);
            HeldWebSocket socket = HeldWebSocket.open(gateway, "/device/" + i, device, Map.of(), own);
            held.add(socket);
            String hello = "hello " + i;
            socket.send(hello);
            int n = i;
            await().alias("socket " + n + " echoes its first message").atMost(ECHO_WITHIN)
                    .until(() -> socket.received().contains(hello) || socket.ended());
            assertThat(socket.received()).as("socket %d (failure %s)", n, socket.failure()).contains(hello);
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
