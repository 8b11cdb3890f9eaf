package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.HeldWebSocket;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.RedisServer;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 22, item 2: a session's end reaches every replica at once (Redis pub/sub, {@link SessionEvents}). Two
 * gateways share sessions through Redis; a browser signs in on A and holds a WebSocket through B; a back-channel
 * logout at A (the IdP's call) closes B's WebSocket with 1008 within about a second — long before the re-decision
 * interval (60 s), so only the push can have done it. A local logout on B does the same for a socket on A.
 */
class SessionEventsIT extends GatewayITSupport {

    private TestIssuer idp;
    private RedisServer redis;
    private RunningGateway replicaB;
    private DisposableServer wsUpstream;

    @Override
    protected String config(URI upstream) {
        if (wsUpstream == null) {
            wsUpstream = HttpServer.create().host("127.0.0.1").port(0)
                    .handle((req, res) -> res.sendWebsocket((in, out) -> out.sendString(in.receive().asString())))
                    .bindNow(Duration.ofSeconds(10));
        }
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: http://127.0.0.1:%d
                    policy:
                      allow:
                        - name: finance
                          groups: [finance]
                """.formatted(wsUpstream.port());
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        redis = RedisServer.start();
        idp = TestIssuer.start().client(TestIssuer.AUDIENCE, "secret");
        properties(builder);
    }

    private void properties(RunningGateway.Builder builder) {
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("spring.data.redis.url", redis.url());
    }

    @BeforeAll
    void startReplicaB() throws java.io.IOException {
        Files.createDirectories(dir.resolve("b"));
        RunningGateway.Builder builder = RunningGateway.builder(dir.resolve("b")).pki(gateway.pki())
                .config(config(upstream.uri()));
        properties(builder);
        replicaB = builder.start();
    }

    @AfterAll
    void stopReplicaB() {
        if (replicaB != null) {
            replicaB.close();
        }
        idp.close();
        redis.close();
        wsUpstream.disposeNow(Duration.ofSeconds(5));
    }

    private static HeldWebSocket hold(RunningGateway replica, String cookie) {
        HeldWebSocket socket = HeldWebSocket.open(replica, "/live", null, Map.of("Cookie", cookie));
        socket.send("hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> socket.received().contains("hello"));
        return socket;
    }

    @Test
    void backchannelLogoutWhenAtReplicaAThenWebSocketOnReplicaBClosed1008WithinASecond() {
        String cookie = RefreshSingleFlightIT.signIn(client(), idp);
        try (HeldWebSocket socket = hold(replicaB, cookie)) {
            String token = idp.sign(JWSAlgorithm.RS256, idp.rsaKey(),
                    header -> header.type(new JOSEObjectType("logout+jwt")),
                    claims -> claims.claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout",
                                    Map.of()))
                            .claim("email", null).claim("groups", null).claim("auth_time", null));
            GatewayClient.Response logout = client().send("POST", "/.gatehouse/backchannel-logout",
                    Map.of("Content-Type", "application/x-www-form-urlencoded"),
                    "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
            long loggedOut = System.nanoTime();
            assertThat(logout.status()).isEqualTo(200);

            await().atMost(Duration.ofMillis(1500)).until(socket::ended);

            assertThat(Duration.ofNanos(System.nanoTime() - loggedOut)).isLessThan(Duration.ofMillis(1500));
            assertThat(socket.closeStatus()).isNotNull();
            assertThat(socket.closeStatus().code()).isEqualTo(1008);
            assertThat(socket.closeStatus().reasonText()).contains("session ended");
        }
    }

    @Test
    void logoutWhenOnReplicaBThenWebSocketOnReplicaAClosed1008() {
        String cookie = RefreshSingleFlightIT.signIn(replicaB.client(), idp);
        try (HeldWebSocket socket = hold(gateway, cookie)) {
            GatewayClient.Response logout = replicaB.client().send("POST", "/.gatehouse/logout",
                    Map.of("Cookie", cookie, "Origin", "https://localhost", "Sec-Fetch-Site", "same-origin",
                            "Content-Type", "application/x-www-form-urlencoded"), "");
            assertThat(logout.status()).as(logout.body()).isEqualTo(303);

            await().atMost(Duration.ofMillis(1500)).until(socket::ended);

            assertThat(socket.closeStatus()).isNotNull();
            assertThat(socket.closeStatus().code()).isEqualTo(1008);
        }
    }
}
