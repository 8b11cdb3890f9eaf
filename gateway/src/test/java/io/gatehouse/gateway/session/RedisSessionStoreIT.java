package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.ProblemSchema;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.RedisServer;
import io.gatehouse.testsupport.TestIssuer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 1: sessions in Redis configured by {@code spring.data.redis.url} alone, stored as JSON, and Redis
 * going away: a request carrying a session cookie is answered 503 with {@code Retry-After} within a second or two
 * (never a hang, never a 500), bearer requests go on, the metric and the {@code sessionStore} health say so, and
 * after Redis is back the same kind of request is served again.
 */
class RedisSessionStoreIT extends GatewayITSupport {

    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate");
    private static final String COOKIE = SessionCookies.SESSION + "=no-such-session-but-a-cookie";

    private TestIssuer idp;
    private RedisServer redis;
    private String bearer;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        redis = RedisServer.start();
        idp = TestIssuer.start();
        bearer = idp.es256(c -> { });
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                // the url alone, no host: sessions must still go to Redis
                .property("spring.data.redis.url", redis.url());
    }

    @AfterAll
    void stopRedis() {
        idp.close();
        redis.close();
    }

    @Test
    void navigationWhenOnlyRedisUrlIsSetThenTheLoginSessionIsInRedisAsJson() {
        awaitRedisServing();
        GatewayClient.Response response = client().get("/page", NAVIGATION);
        assertThat(response.status()).isEqualTo(302);

        RedisClient lettuce = RedisClient.create(redis.url());
        try (StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect(ByteArrayCodec.INSTANCE)) {
            List<byte[]> keys = connection.sync().keys("gatehouse:session:*".getBytes(StandardCharsets.UTF_8));
            assertThat(keys).as("session keys in Redis").isNotEmpty();
            byte[] hashKey = keys.stream().filter(k -> connection.sync().type(k).equals("hash")).findFirst().orElseThrow();
            Map<byte[], byte[]> hash = connection.sync().hgetall(hashKey);
            assertThat(hash).isNotEmpty();
            hash.forEach((field, value) -> {
                String name = new String(field, StandardCharsets.UTF_8);
                // JDK serialization starts with 0xACED; JSON is text
                assertThat(value[0]).as(name).isNotEqualTo((byte) 0xAC);
                assertThat(new String(value, StandardCharsets.UTF_8)).as(name).doesNotContain("\uFFFD");
            });
            String order = new String(hash.get(hash.keySet().stream()
                    .filter(k -> new String(k, StandardCharsets.UTF_8).equals("sessionAttr:" + BrowserSessions.ATTEMPT_ORDER))
                    .findFirst().orElseThrow()), StandardCharsets.UTF_8);
            assertThat(order).startsWith("\"").endsWith("\"");
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void requestWhenSessionWasWrittenWithJdkSerializationThenNoSessionAndItIsDeleted() throws Exception {
        awaitRedisServing();
        String id = "old-jdk-session";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(1_765_000_000_000L);
        }
        byte[] key = ("gatehouse:session:sessions:" + id).getBytes(StandardCharsets.UTF_8);
        RedisClient lettuce = RedisClient.create(redis.url());
        try (StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect(ByteArrayCodec.INSTANCE)) {
            connection.sync().hset(key, "creationTime".getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
            connection.sync().hset(key, "lastAccessedTime".getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
            connection.sync().expire(key, 600);

            GatewayClient.Response response = client().get("/api", Map.of("Accept", "application/json",
                    "Cookie", SessionCookies.SESSION + "=" + id));

            assertThat(response.status()).as("an unreadable session is no session, not a 503").isEqualTo(401);
            assertThat(connection.sync().exists(key)).isZero();
        } finally {
            lettuce.shutdown();
        }
    }

    @Test
    void requestWhenRedisDownThenSessionCookieGets503FastBearerServedAndAfterRestartServedAgain() throws Exception {
        GatewayClient client = client();
        Map<String, String> json = Map.of("Accept", "application/json", "Cookie", COOKIE);
        assertThat(client.get("/api", json).status()).isEqualTo(401);
        double before = unavailableCount();

        redis.kill();
        try {
            for (GatewayClient c : List.of(client, client.http2())) {
                long start = System.nanoTime();
                GatewayClient.Response down = c.get("/api", json);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(down.status()).as(down.body()).isEqualTo(503);
                assertThat(took).isLessThan(Duration.ofSeconds(2));
                assertThat(down.header("Retry-After")).isNotBlank();
                assertThat(down.header("Content-Type")).startsWith("application/problem+json");
                assertThat(down.body()).contains("session-store-unavailable");
                ProblemSchema.assertProblem(down, 503, "session-store-unavailable");

                GatewayClient.Response page = c.get("/page", Map.of("Accept", "text/html", "Sec-Fetch-Mode",
                        "navigate", "Cookie", COOKIE));
                assertThat(page.status()).isEqualTo(503);
                assertThat(page.header("Retry-After")).isNotBlank();
                assertThat(page.header("Content-Type")).startsWith("text/html");

                GatewayClient.Response api = c.get("/api", Map.of("Authorization", "Bearer " + bearer));
                assertThat(api.status()).as(api.body()).isEqualTo(200);
            }
            assertThat(unavailableCount()).isGreaterThanOrEqualTo(before + 4);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    gateway.managementUri("/actuator/health/session-store")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("DOWN");
            HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(
                    gateway.managementUri("/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as("bearer and public traffic go on: still ready").isEqualTo(200);
        } finally {
            redis.restart();
        }

        awaitRedisServing();
    }

    @Test
    void requestWhenRedisStalledThenSessionCookieGets503WithinTheCommandTimeoutAndBearerServed() {
        awaitRedisServing();
        GatewayClient client = client();
        Map<String, String> json = Map.of("Accept", "application/json", "Cookie", COOKIE);
        redis.pause();
        try {
            long start = System.nanoTime();
            GatewayClient.Response stalled = client.get("/api", json);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(stalled.status()).as(stalled.body()).isEqualTo(503);
            assertThat(stalled.header("Retry-After")).isNotBlank();
            assertThat(took).as("the 500 ms command timeout, not Lettuce's 60 s").isLessThan(Duration.ofSeconds(2));
            assertThat(client.get("/api", Map.of("Authorization", "Bearer " + bearer)).status()).isEqualTo(200);
        } finally {
            redis.resume();
        }
        awaitRedisServing();
    }

    private void awaitRedisServing() {
        Awaitility.await("sessions served again after Redis is back").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client().get("/api", Map.of("Accept", "application/json", "Cookie", COOKIE)).status() == 401);
    }

    private double unavailableCount() {
        var counter = gateway.context().getBean(MeterRegistry.class).find("gatehouse.sessions.store.unavailable")
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
