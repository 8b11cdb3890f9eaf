package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.RedisServer;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 2, across replicas: two gateways sharing sessions through Redis, a session signed in on one, and
 * concurrent requests of that session on both inside the refresh window, with an IdP that rotates refresh tokens.
 * One refresh grant in all (the other replica loses the {@code SET NX} claim and re-reads the session the winner
 * saved), every request served, and the session still signed in afterwards on both. The sign-in also round-trips a
 * full session (groups, claims, times) through the JSON attribute storage.
 */
class RefreshAcrossReplicasIT extends GatewayITSupport {

    private static final int PER_REPLICA = 4;

    private TestIssuer idp;
    private RedisServer redis;
    private RunningGateway replicaB;
    private final ExecutorService browsers = Executors.newFixedThreadPool(2 * PER_REPLICA);

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: finance
                          groups: [finance]
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        redis = RedisServer.start();
        idp = TestIssuer.start().client(TestIssuer.AUDIENCE, "secret").accessLifetimes(10, 3600)
                .rotateRefreshTokens(true);
        properties(builder);
    }

    private void properties(RunningGateway.Builder builder) {
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.oidc.refresh-skew", "60s")
                .property("spring.data.redis.url", redis.url());
    }

    @BeforeAll
    void startReplicaB() throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve("b"));
        RunningGateway.Builder builder = RunningGateway.builder(dir.resolve("b")).pki(gateway.pki())
                .config(config(upstream.uri()));
        properties(builder);
        replicaB = builder.start();
    }

    @AfterAll
    void stopReplicaB() {
        browsers.shutdownNow();
        if (replicaB != null) {
            replicaB.close();
        }
        idp.close();
        redis.close();
    }

    @Test
    void requestsWhenConcurrentOnTwoReplicasAndTheIdpRotatesThenOneRefreshAndTheSessionSurvives() throws Exception {
        GatewayClient a = client();
        GatewayClient b = replicaB.client();
        String cookie = RefreshSingleFlightIT.signIn(a, idp);
        Map<String, String> headers = Map.of("Accept", "application/json", "Cookie", cookie);
        int before = idp.refreshGrants();

        List<CompletableFuture<GatewayClient.Response>> responses = new ArrayList<>();
        try (AutoCloseable held = idp.holdRefreshes()) {
            for (int i = 0; i < PER_REPLICA; i++) {
                String path = "/api/" + i;
                responses.add(CompletableFuture.supplyAsync(() -> a.get(path, headers), browsers));
                responses.add(CompletableFuture.supplyAsync(() -> b.get(path, headers), browsers));
            }
            Awaitility.await("the first refresh reaches the IdP").atMost(Duration.ofSeconds(10))
                    .until(() -> idp.refreshGrants() > before);
            Awaitility.await("no second refresh grant, on either replica, while the first is in flight")
                    .during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                    .until(() -> idp.refreshGrants() == before + 1);
        }
        for (CompletableFuture<GatewayClient.Response> response : responses) {
            GatewayClient.Response r = response.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(idp.refreshGrants()).isEqualTo(before + 1);
        assertThat(a.get("/after", headers).status()).isEqualTo(200);
        assertThat(b.get("/after", headers).status()).isEqualTo(200);
    }
}
