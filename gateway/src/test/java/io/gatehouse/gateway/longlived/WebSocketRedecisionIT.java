package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.gateway.device.InventoryStub;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.HeldWebSocket;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import io.gatehouse.gateway.config.LiveConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 22: an upgraded WebSocket is re-decided with the current policy, identity and posture (docs/design.md,
 * "Long-lived connections"): it keeps working while allowed, and is closed with 1008 and a short reason, its upstream
 * side too, when a reload denies it, its device is quarantined, or its bearer token expires. A real Reactor Netty
 * WebSocket upstream echoes; the client is a real WebSocket client over TLS.
 */
class WebSocketRedecisionIT extends DecisionLogITSupport {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration SKEW = Duration.ofSeconds(1);
    private static final String HIGH = """
            {"id": "dev-7", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example"}""";
    private static final String QUARANTINED = HIGH.replace("\"trust\": \"high\"", "\"trust\": \"untrusted\"");

    private DisposableServer wsUpstream;
    /** The paths whose upstream WebSocket connection ended. */
    private final Set<String> upstreamEnded = ConcurrentHashMap.newKeySet();
    private InventoryStub inventory;
    private TestIssuer idp;
    private final List<HeldWebSocket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        idp = TestIssuer.start();
        builder.property("gatehouse.long-lived.redecide-interval", INTERVAL.toMillis() + "ms")
                .property("gatehouse.long-lived.log-allowed-redecisions", "true")
                .property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.inventory.cache-ttl", "1s")
                .property("gatehouse.inventory.timeout", "5s")
                .property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.bearer.clock-skew", SKEW.toMillis() + "ms");
    }

    @Override
    protected String config(URI upstreamUri) {
        wsUpstream = HttpServer.create().host("127.0.0.1").port(0)
                .handle((req, res) -> {
                    String path = req.path();
                    return res.sendWebsocket((in, out) -> {
                        in.withConnection(c -> c.onDispose(() -> upstreamEnded.add("/" + path)));
                        return out.sendString(in.receive().asString());
                    });
                })
                .bindNow(Duration.ofSeconds(10));
        return policy(true);
    }

    private String policy(boolean reloadableAllowed) {
        return """
                routes:
                  - id: ws
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - {name: anyone, public: true, paths: ["/chat/**"]}
                        - {name: good-devices, public: true, paths: ["/device/**"], device: {trust: high}}
                        - {name: finance, groups: [finance], paths: ["/pay/**"]}
                """.formatted(wsUpstream.port())
                + (reloadableAllowed ? "        - {name: reloadable, public: true, paths: [\"/reload/**\"]}\n" : "");
    }

    private String allowingVersion;

    @BeforeAll
    void rememberAllowingPolicy() {
        allowingVersion = gateway.context().getBean(LiveConfig.class).current().version();
    }

    @AfterEach
    void closeSockets() {
        held.forEach(HeldWebSocket::close);
        held.clear();
        restoreAllowingPolicy();
    }

    /** Writes the allowing policy back and waits until it is in force, so the next test starts from it. */
    private void restoreAllowingPolicy() {
        LiveConfig live = gateway.context().getBean(LiveConfig.class);
        if (!live.current().version().equals(allowingVersion)) {
            gateway.writeConfig(policy(true));
            await().atMost(Duration.ofSeconds(10)).until(() -> live.current().version().equals(allowingVersion));
        }
    }

    @AfterAll
    void stopServers() {
        if (wsUpstream != null) {
            wsUpstream.disposeNow(Duration.ofSeconds(5));
        }
        inventory.close();
        idp.close();
    }

    private HeldWebSocket open(String path, DevPki.Issued device, Map<String, String> headers) {
        HeldWebSocket socket = HeldWebSocket.open(gateway, path, device, headers);
        held.add(socket);
        socket.send("hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.received().contains("hello"));
        return socket;
    }

    /** The decision-log lines of re-decisions of the connection opened by request {@code id}. */
    private List<JsonNode> redecisions(String id) {
        return linesFor(id).stream().filter(line -> id.equals(line.path("connection").path("id").asText())).toList();
    }

    @Test
    void websocketWhenStillAllowedThenKeepsEchoingAcrossRedecisions() {
        HeldWebSocket socket = open("/chat/keep", null, Map.of());

        await().atMost(INTERVAL.multipliedBy(4)).until(() -> redecisions(socket.requestId()).size() >= 2);
        socket.send("still there");

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.received().contains("still there"));
        assertThat(socket.ended()).isFalse();
        JsonNode line = redecisions(socket.requestId()).get(0);
        assertThat(line.path("connection").path("kind").asText()).isEqualTo("websocket");
        assertThat(line.path("connection").path("trigger").asText()).isEqualTo("interval");
        assertThat(line.path("connection").path("cut").asBoolean()).isFalse();
        assertThat(line.path("why").path("decision").asText()).isEqualTo("allow");
        assertThat(line.path("request_id").asText()).isNotEqualTo(socket.requestId());
    }

    @Test
    void websocketWhenReloadDeniesThenClosed1008WithReasonAndUpstreamClosed() {
        HeldWebSocket socket = open("/reload/room", null, Map.of());

        gateway.writeConfig(policy(false));

        // The reload is seen by the watcher (200 ms here, plus settling) and re-decides at once: well within one interval.
        await().atMost(INTERVAL.plusSeconds(3)).until(socket::ended);
        assertThat(socket.closeStatus()).isNotNull();
        assertThat(socket.closeStatus().code()).isEqualTo(1008);
        assertThat(socket.closeStatus().reasonText()).startsWith("gatehouse: ")
                .contains(socket.requestId().substring(0, 8));
        assertThat(socket.closeStatus().reasonText().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreamEnded.contains("/reload/room"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !redecisions(socket.requestId()).isEmpty());
        JsonNode line = redecisions(socket.requestId()).get(redecisions(socket.requestId()).size() - 1);
        assertThat(line.path("connection").path("trigger").asText()).isEqualTo("reload");
        assertThat(line.path("connection").path("cut").asBoolean()).isTrue();
        assertThat(line.path("connection").path("close").asText()).isEqualTo("1008");
        assertThat(line.path("why").path("decision").asText()).isEqualTo("deny");
        assertThat(line.path("what").path("path").asText()).isEqualTo("/reload/room");
    }

    @Test
    void websocketWhenDeviceQuarantinedThenClosed1008() {
        DevPki.Issued laptop = gateway.pki().issueDevice("ws-laptop");
        inventory.posture(laptop.sha256(), HIGH);
        HeldWebSocket socket = open("/device/feed", laptop, Map.of());

        inventory.posture(laptop.sha256(), QUARANTINED);

        // Seen within the posture cache's 1 s plus the poll; the interval (2 s) bounds it anyway.
        await().atMost(INTERVAL.plusSeconds(3)).until(socket::ended);
        assertThat(socket.closeStatus()).isNotNull();
        assertThat(socket.closeStatus().code()).isEqualTo(1008);
        assertThat(socket.closeStatus().reasonText()).contains("denied");
        await().atMost(Duration.ofSeconds(5)).until(() -> upstreamEnded.contains("/device/feed"));
    }

    @Test
    void websocketWhenBearerTokenExpiresThenClosedAtExpPlusSkew() {
        // A JWT's exp has whole seconds.
        Instant exp = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        String token = idp.es256(c -> c.expirationTime(Date.from(exp)));
        HeldWebSocket socket = open("/pay/ticker", null, Map.of("Authorization", "Bearer " + token));

        await().atMost(Duration.ofSeconds(12)).until(socket::ended);
        Instant closedAt = Instant.now();
        assertThat(closedAt).isAfterOrEqualTo(exp.plus(SKEW).minusMillis(100));
        assertThat(socket.closeStatus()).isNotNull();
        assertThat(socket.closeStatus().code()).isEqualTo(1008);
        assertThat(socket.closeStatus().reasonText()).contains("token expired");
        await().atMost(Duration.ofSeconds(5)).until(() -> !redecisions(socket.requestId()).isEmpty());
        JsonNode line = redecisions(socket.requestId()).get(redecisions(socket.requestId()).size() - 1);
        assertThat(line.path("connection").path("trigger").asText()).isEqualTo("bearer-expired");
        assertThat(line.path("who").path("auth").asText()).isEqualTo("bearer");
    }
}
