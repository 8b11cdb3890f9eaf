package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.gateway.device.InventoryStub;
import io.gatehouse.gateway.session.SessionCookies;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.HeldWebSocket;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.RedisServer;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Benchmark of the revocation time of long-lived connections across two replicas (issue 22; figures in
 * docs/performance.md, "Revocation time of long-lived connections"). Two gateways share sessions through Redis; every
 * WebSocket is held through replica B, its own session or its own device certificate. Measured at the client: from
 * the trigger (just before the back-channel logout is sent to replica A; just after the inventory stand-in answers
 * "untrusted") to the close frame 1008. Logouts are pushed (Redis pub/sub); a quarantine is seen by the posture poll
 * (every {@code gatehouse.inventory.cache-ttl}, here 1 s, through the posture cache of the same ttl). Prints
 * p50/p99/max; asserts only generous bounds, so that a busy 2-core machine does not fail it.
 */
class RevocationTimeIT extends GatewayITSupport {

    private static final int LOGOUTS = 50;
    private static final int QUARANTINES = 50;
    private static final int QUARANTINE_BATCH = 10;
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate");
    private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");
    private static final Pattern NONCE = Pattern.compile("[?&]nonce=([^&]+)");
    private static final String HIGH = """
            {"id": "dev", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example"}""";
    private static final String QUARANTINED = HIGH.replace("\"trust\": \"high\"", "\"trust\": \"untrusted\"");

    private TestIssuer idp;
    private RedisServer redis;
    private InventoryStub inventory;
    private RunningGateway replicaB;
    private DisposableServer wsUpstream;
    private ConnectionProvider pool;
    private final List<HeldWebSocket> held = new ArrayList<>();
    private final java.util.Set<String> upstreamUpgrades = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> upstreamMessages = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    protected String config(URI upstream) {
        if (wsUpstream == null) {
            wsUpstream = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((req, res) -> {
                        upstreamUpgrades.add(req.path());
                        return res.sendWebsocket((in, out) -> out.sendString(in.receive().asString()
                                .doOnNext(m -> upstreamMessages.add(req.path()))));
                    })
                    .bindNow(Duration.ofSeconds(10));
        }
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - {name: good-devices, public: true, paths: ["/device/**"], device: {trust: high}}
                        - {name: finance, groups: [finance], paths: ["/live/**", "/page"]}
                """.formatted(wsUpstream.port());
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        redis = RedisServer.start();
        idp = TestIssuer.start().client(TestIssuer.AUDIENCE, "secret");
        inventory = InventoryStub.start();
        properties(builder);
    }

    private void properties(RunningGateway.Builder builder) {
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("spring.data.redis.url", redis.url())
                .property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.inventory.cache-ttl", CACHE_TTL.toMillis() + "ms")
                .property("gatehouse.inventory.timeout", "5s");
    }

    @BeforeAll
    void startReplicaB() throws java.io.IOException {
        Files.createDirectories(dir.resolve("b"));
        RunningGateway.Builder builder = RunningGateway.builder(dir.resolve("b")).pki(gateway.pki())
                .config(config(upstream.uri()));
        properties(builder);
        replicaB = builder.start();
        pool = ConnectionProvider.builder("revocation-time").maxConnections(LOGOUTS + QUARANTINES)
                .pendingAcquireMaxCount(LOGOUTS + QUARANTINES).build();
    }

    @AfterEach
    void closeSockets() {
        held.forEach(HeldWebSocket::close);
        held.clear();
    }

    @AfterAll
    void stopServers() {
        if (replicaB != null) {
            replicaB.close();
        }
        if (pool != null) {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
        idp.close();
        redis.close();
        inventory.close();
        wsUpstream.disposeNow(Duration.ofSeconds(5));
    }

    @Test
    void backchannelLogoutWhenAtReplicaAThenEachWebSocketOnReplicaBClosed1008Promptly() {
        List<HeldWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < LOGOUTS; i++) {
            String sid = "sid-" + i;
            idp.idTokenClaims(claims -> claims.claim("sid", sid));
            String cookie = signIn(client(), idp);
            sockets.add(hold(replicaB, "/live/" + i, null, Map.of("Cookie", cookie)));
        }
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < LOGOUTS; i++) {
            HeldWebSocket socket = sockets.get(i);
            String sid = "sid-" + i;
            String token = idp.sign(JWSAlgorithm.RS256, idp.rsaKey(),
                    header -> header.type(new JOSEObjectType("logout+jwt")),
                    claims -> claims.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout",
                                    Map.of()))
                            .claim("sid", sid).claim("email", null).claim("groups", null).claim("auth_time", null));
            long triggered = System.nanoTime();
            GatewayClient.Response logout = client().send("POST", "/.gatehouse/backchannel-logout",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            assertThat(logout.status()).as(logout.body()).isEqualTo(200);
            await().alias("socket " + i + " cut").atMost(Duration.ofSeconds(10))
                    .until(() -> socket.closeFrameAtNanos() != 0 || socket.ended());
            assertThat(socket.closeStatus()).as("socket %d", i).isNotNull();
            assertThat(socket.closeStatus().code()).isEqualTo(1008);
            times.add(Duration.ofNanos(socket.closeFrameAtNanos() - triggered));
            // Only this session's socket: the others stay open.
            assertThat(sockets.subList(i + 1, LOGOUTS)).noneMatch(HeldWebSocket::ended);
        }
        Figures figures = Figures.of(times);
        System.out.println("REVOCATION back-channel logout at A -> 1008 on B, " + LOGOUTS + " sockets: " + figures);
        assertThat(figures.p99()).as(figures.toString()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void quarantineWhenSeenByInventoryThenEachWebSocketOnReplicaBClosed1008WithinThePostureBound() {
        List<DevPki.Issued> devices = new ArrayList<>();
        List<HeldWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < QUARANTINES; i++) {
            DevPki.Issued device = gateway.pki().issueDevice("bench-" + i);
            inventory.posture(device.sha256(), HIGH);
            devices.add(device);
            sockets.add(hold(replicaB, "/device/" + i, device, Map.of()));
        }
        List<Duration> times = new ArrayList<>();
        // In batches, each started when the previous one is cut: the batches fall at different phases of the poll.
        for (int from = 0; from < QUARANTINES; from += QUARANTINE_BATCH) {
            List<HeldWebSocket> batch = sockets.subList(from, Math.min(from + QUARANTINE_BATCH, QUARANTINES));
            for (int i = from; i < from + batch.size(); i++) {
                inventory.posture(devices.get(i).sha256(), QUARANTINED);
            }
            long triggered = System.nanoTime();
            await().alias("batch from " + from + " cut").atMost(Duration.ofSeconds(15))
                    .until(() -> batch.stream().allMatch(s -> s.closeFrameAtNanos() != 0 || s.ended()));
            for (HeldWebSocket socket : batch) {
                assertThat(socket.closeStatus()).isNotNull();
                assertThat(socket.closeStatus().code()).isEqualTo(1008);
                times.add(Duration.ofNanos(socket.closeFrameAtNanos() - triggered));
            }
            assertThat(sockets.subList(from + batch.size(), QUARANTINES)).noneMatch(HeldWebSocket::ended);
        }
        Figures figures = Figures.of(times);
        System.out.println("REVOCATION quarantine (inventory) -> 1008 on B, cache-ttl " + CACHE_TTL.toMillis()
                + " ms, " + QUARANTINES + " sockets: " + figures);
        // Bound: posture cache (1 s) + poll every 1 s + a tick (200 ms) + the re-decision; generous for a busy machine.
        assertThat(figures.p99()).as(figures.toString()).isLessThan(Duration.ofSeconds(5));
    }

    private HeldWebSocket hold(RunningGateway replica, String path, DevPki.Issued device, Map<String, String> headers) {
        HeldWebSocket socket = HeldWebSocket.open(replica, path, device, headers, pool);
        held.add(socket);
        socket.send("hello");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> socket.received().contains("hello") || socket.ended());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // reported below, with what the client and the upstream saw
        }
        assertThat(socket.received()).as("%s (request id %s, refused %s, failure %s, ended %s, upstream upgraded %s,"
                + " upstream got message %s)", path, socket.requestId(), socket.refusedStatus(), socket.failure(),
                socket.ended(), upstreamUpgrades.contains(path.substring(1)), upstreamMessages.contains(path.substring(1)))
                .contains("hello");
        return socket;
    }

    /** Signs in through {@code client}'s replica at the stand-in IdP; returns the session cookie. */
    private static String signIn(GatewayClient client, TestIssuer idp) {
        GatewayClient.Response start = client.get("/page", NAVIGATION);
        assertThat(start.status()).isEqualTo(302);
        String location = start.header("Location");
        String loginCookie = cookie(start.header("Set-Cookie"));
        String state = group(STATE, location);
        String nonce = URLDecoder.decode(group(NONCE, location), StandardCharsets.UTF_8);
        GatewayClient.Response callback = client.get("/.gatehouse/callback?code=" + idp.authorize(nonce)
                + "&state=" + state, Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate", "Cookie", loginCookie));
        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        return callback.headers().getOrDefault("set-cookie", List.of()).stream()
                .filter(c -> c.startsWith(SessionCookies.SESSION + "=")).findFirst().map(RevocationTimeIT::cookie)
                .orElseThrow(() -> new AssertionError("no session cookie: " + callback.headers()));
    }

    private static String cookie(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    /** Nearest-rank percentiles of the measured times. */
    record Figures(int count, Duration p50, Duration p99, Duration max) {

        static Figures of(List<Duration> times) {
            List<Duration> sorted = times.stream().sorted().toList();
            return new Figures(sorted.size(), rank(sorted, 50), rank(sorted, 99), sorted.get(sorted.size() - 1));
        }

        private static Duration rank(List<Duration> sorted, int percentile) {
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d p50=%d ms p99=%d ms max=%d ms", count, p50.toMillis(),
                    p99.toMillis(), max.toMillis());
        }
    }
}
