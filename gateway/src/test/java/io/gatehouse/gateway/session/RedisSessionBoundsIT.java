package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Issue 16, item 1, with replicas sharing sessions through Redis ({@code redis-server} from Debian, started here on a
 * free loopback port without persistence): one pre-login cookie keeps at most three attempts there too, and every
 * key the gateway writes (sessions, index sets, single-use claims) has a TTL, so nothing an anonymous client leaves
 * behind stays in Redis for ever.
 */
class RedisSessionBoundsIT extends GatewayITSupport {

    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate");
    private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");

    private TestIssuer idp;
    private Process redis;
    private int redisPort;
    private RedisClient lettuce;

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
        startRedis();
        idp = TestIssuer.start();
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("spring.data.redis.host", "127.0.0.1")
                .property("spring.data.redis.port", redisPort);
    }

    private void startRedis() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            var dir = Files.createTempDirectory("gatehouse-redis");
            redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(redisPort), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Awaitility.await("redis on " + redisPort).atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (Socket socket = new Socket("127.0.0.1", redisPort)) {
                return true;
            }
        });
        lettuce = RedisClient.create("redis://127.0.0.1:" + redisPort);
    }

    @AfterAll
    void stopRedis() throws InterruptedException {
        idp.close();
        lettuce.shutdown();
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void navigationsWhenSameLoginCookieThenOnlyTheNewestAttemptsRemainAndEveryKeyHasATtl() {
        GatewayClient client = client();
        GatewayClient.Response first = client.get("/first", NAVIGATION);
        String setCookie = first.header("Set-Cookie");
        assertThat(setCookie).startsWith(SessionCookies.LOGIN + "=");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        List<String> states = new ArrayList<>(List.of(state(first)));
        for (int i = 1; i <= 4; i++) {
            states.add(state(client.get("/again/" + i, withCookie(cookie))));
        }

        assertThat(callback(client, states.get(0), cookie)).contains("Sign-in expired");
        assertThat(callback(client, states.get(1), cookie)).contains("Sign-in expired");
        assertThat(callback(client, states.get(2), cookie)).contains("Sign-in did not complete");
        assertThat(callback(client, states.get(4), cookie)).contains("Sign-in did not complete");
        assertEveryGatehouseKeyHasATtl();
    }

    @Test
    void indexWhenSessionsAddedAndClaimedThenEveryKeyHasATtlAndALaterShortTtlDoesNotShortenIt() {
        LettuceConnectionFactory connections = new LettuceConnectionFactory("127.0.0.1", redisPort);
        connections.afterPropertiesSet();
        try {
            RedisSessionIndex index = new RedisSessionIndex(new ReactiveStringRedisTemplate(connections));
            index.add("sub:u-1", "s-1", Duration.ofHours(8)).block(Duration.ofSeconds(5));
            index.add("sub:u-1", "s-2", Duration.ofMinutes(1)).block(Duration.ofSeconds(5));
            assertThat(index.claim("taken:x", Duration.ofMinutes(10)).block(Duration.ofSeconds(5))).isTrue();

            try (StatefulRedisConnection<String, String> redisConnection = lettuce.connect()) {
                RedisCommands<String, String> redisCommands = redisConnection.sync();
                assertThat(redisCommands.smembers("gatehouse:index:sub:u-1")).containsExactlyInAnyOrder("s-1", "s-2");
                assertThat(redisCommands.pttl("gatehouse:index:sub:u-1")).isGreaterThan(Duration.ofHours(7).toMillis());
            }
            assertEveryGatehouseKeyHasATtl();
        } finally {
            connections.destroy();
        }
    }

    private void assertEveryGatehouseKeyHasATtl() {
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            RedisCommands<String, String> redisCommands = connection.sync();
            List<String> keys = redisCommands.keys("gatehouse:*");
            assertThat(keys).isNotEmpty();
            Map<String, Long> ttls = new HashMap<>();
            keys.forEach(k -> ttls.put(k, redisCommands.pttl(k)));
            assertThat(ttls).allSatisfy((key, ttl) -> assertThat(ttl).as(key).isPositive());
        }
    }

    private static String callback(GatewayClient client, String state, String cookie) {
        GatewayClient.Response response = client.get("/.gatehouse/callback?error=access_denied&state=" + state,
                withCookie(cookie));
        assertThat(response.status()).isEqualTo(400);
        return response.body();
    }

    private static Map<String, String> withCookie(String cookie) {
        Map<String, String> headers = new HashMap<>(NAVIGATION);
        headers.put("Cookie", cookie);
        return headers;
    }

    private static String state(GatewayClient.Response response) {
        assertThat(response.status()).isEqualTo(302);
        Matcher m = STATE.matcher(response.header("Location"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
