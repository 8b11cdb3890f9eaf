package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.TrustLevel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The posture client against a real HTTP stub: answers, not enrolled, slow, failing, vanished, cached. */
class PostureClientIT {

    private static final String SHA = "ab".repeat(32);
    private static final String POSTURE = """
            {"id": "dev-42", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z", "quarantined": false}""";

    private InventoryStub stub;
    private SimpleMeterRegistry meters;
    private CircuitBreaker breaker;

    @BeforeEach
    void start() {
        stub = InventoryStub.start();
        stub.posture(SHA, POSTURE);
        meters = new SimpleMeterRegistry();
        breaker = CircuitBreaker.of("device-inventory", DeviceConfiguration.defaultBreaker());
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private PostureClient client(InventoryProperties properties) {
        var web = DeviceConfiguration.inventoryWebClient(properties.timeout());
        var tokens = new InventoryTokenClient(web, properties.tokenUri(), "gateway", "secret", properties.scope());
        return new PostureClient(web, properties, tokens, breaker, meters);
    }

    private PostureClient client() {
        // generous: the first call pays for Netty's warm-up on a shared machine; the slow test sets its own
        return client(InventoryProperties.of(stub.uri(), stub.uri().resolve("/token"), "gateway", "secret")
                .withTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void postureWhenInventoryAnswersThenPostureWithItsFieldsAndClientCredentialsToken() {
        PostureLookup answer = client().posture(SHA).block();

        assertThat(answer.note()).isNull();
        assertThat(answer.posture().id()).isEqualTo("dev-42");
        assertThat(answer.posture().known()).isTrue();
        assertThat(answer.posture().trust()).isEqualTo(TrustLevel.HIGH);
        assertThat(answer.posture().diskEncrypted()).isTrue();
        assertThat(answer.posture().osVersion()).isEqualTo("15.3");
        assertThat(answer.posture().reportedAt()).isEqualTo(Instant.parse("2026-11-23T08:00:00Z"));
        assertThat(stub.seenAuthorization()).containsExactly("Bearer tok-1");
    }

    @Test
    void postureWhenAskedTwiceThenSecondFromCacheAndTokenReused() {
        PostureClient client = client();

        client.posture(SHA).block();
        client.posture(SHA).block();
        client.posture("cd".repeat(32)).block();

        assertThat(stub.postureRequests()).isEqualTo(2);
        assertThat(stub.tokenRequests()).isEqualTo(1);
        assertThat(meters.counter("gatehouse_posture_cache_hits").count()).isEqualTo(1);
        assertThat(meters.counter("gatehouse_posture_cache_misses").count()).isEqualTo(2);
    }

    @Test
    void postureWhenCertificateUnknownThenUnknownNotEnrolledAndCached() {
        PostureClient client = client();

        PostureLookup answer = client.posture("cd".repeat(32)).block();
        client.posture("cd".repeat(32)).block();

        assertThat(answer.posture().known()).isFalse();
        assertThat(answer.posture().trust()).isEqualTo(TrustLevel.UNTRUSTED);
        assertThat(answer.note().code()).isEqualTo("device-not-enrolled");
        assertThat(stub.postureRequests()).isEqualTo(1);
    }

    @Test
    void postureWhenInventorySlowThenUnknownAfterTimeoutWithReason() {
        stub.mode(InventoryStub.Mode.SLOW);
        PostureClient client = client(InventoryProperties.of(stub.uri(), stub.uri().resolve("/token"), "gateway",
                "secret").withTimeout(Duration.ofMillis(300)));

        long start = System.nanoTime();
        PostureLookup answer = client.posture(SHA).block();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(answer.posture().known()).isFalse();
        assertThat(answer.note().code()).isEqualTo("device-inventory-unreachable");
        assertThat(answer.note().text()).isEqualTo(
                "device inventory unreachable (no answer within 300 ms); device counts as unknown");
        assertThat(lookupTimer("device-inventory-unreachable").count()).isEqualTo(1);
        assertThat(lookupTimer("device-inventory-unreachable").totalTime(TimeUnit.MILLISECONDS)).isGreaterThan(250);
    }

    @Test
    void postureWhenAskedTwiceThenOnlyTheInventoryCallIsTimed() {
        PostureClient client = client();

        client.posture(SHA).block();
        client.posture(SHA).block();

        assertThat(lookupTimer("answered").count()).as("the cache hit is not timed").isEqualTo(1);
        assertThat(meters.find("gatehouse.posture.lookup").timers()).hasSize(1);
    }

    private io.micrometer.core.instrument.Timer lookupTimer(String outcome) {
        return meters.get("gatehouse.posture.lookup").tag("outcome", outcome).timer();
    }

    @Test
    void postureWhenInventoryFailsRepeatedlyThenBreakerOpensAndStopsAsking() {
        stub.mode(InventoryStub.Mode.FAIL);
        PostureClient client = client();

        for (int i = 0; i < 5; i++) {
            assertThat(client.posture(SHA).block().note().text()).contains("HTTP 500");
        }
        PostureLookup answer = client.posture(SHA).block();

        assertThat(client.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(answer.note().text()).contains("circuit breaker open");
        assertThat(stub.postureRequests()).isEqualTo(5);
        assertThat(meters.get("gatehouse_posture_breaker_state").gauge().value()).isEqualTo(1.0);
        assertThat(lookupTimer("device-inventory-unreachable").count())
                .as("the call the open breaker refused was never sent: not timed").isEqualTo(5);
    }

    @Test
    void postureWhenInventoryVanishedThenFailClosedWithReason() {
        PostureClient client = client();
        stub.close();

        PostureLookup answer = client.posture(SHA).block();

        assertThat(answer.posture().known()).isFalse();
        assertThat(answer.posture().trust()).isEqualTo(TrustLevel.UNTRUSTED);
        assertThat(answer.note().code()).isEqualTo("device-inventory-unreachable");
        assertThat(answer.note().text()).startsWith("device inventory unreachable (").endsWith(
                "); device counts as unknown");
    }

    @Test
    void postureWhenCachedAndInventoryVanishesThenCachedAnswerStillServed() {
        PostureClient client = client();
        client.posture(SHA).block();
        stub.close();

        assertThat(client.posture(SHA).block().posture().trust()).isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void postureWhenCacheExpiredAndInventoryDownThenUnknown() {
        PostureClient client = client(InventoryProperties.of(stub.uri(), stub.uri().resolve("/token"), "gateway",
                "secret").withTimeout(Duration.ofSeconds(5)).withCacheTtl(Duration.ofMillis(200)));
        client.posture(SHA).block();
        stub.close();

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(client.posture(SHA).block().note()).isNotNull());
    }

    @Test
    void postureWhenTokenEndpointRejectsThenUnknownWithReason() {
        var properties = InventoryProperties.of(stub.uri(), stub.uri().resolve("/token"), "gateway", "wrong");
        var web = DeviceConfiguration.inventoryWebClient(properties.timeout());
        var tokens = new InventoryTokenClient(web, properties.tokenUri(), "gateway", "wrong", properties.scope());

        PostureLookup answer = new PostureClient(web, properties, tokens, breaker, meters).posture(SHA).block();

        assertThat(answer.note().code()).isEqualTo("device-inventory-unreachable");
        assertThat(answer.note().text()).contains("HTTP 401");
        assertThat(stub.postureRequests()).isZero();
    }

    @Test
    void postureWhenFiftyAskAtOnceAfterExpiryThenOneInventoryLookup() {
        PostureClient client = client(InventoryProperties.of(stub.uri(), stub.uri().resolve("/token"), "gateway",
                "secret").withTimeout(Duration.ofSeconds(10)).withCacheTtl(Duration.ofMillis(300)));
        assertThat(client.posture(SHA).block().note()).isNull();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.isCached(SHA));
        stub.mode(InventoryStub.Mode.HELD);

        // All fifty ask while the one lookup is held at the inventory: none of them may start its own.
        List<CompletableFuture<PostureLookup>> answers = IntStream.range(0, 50)
                .mapToObj(i -> client.posture(SHA).toFuture()).toList();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stub.postureRequests() >= 2);
        stub.release();

        assertThat(answers).allSatisfy(answer -> assertThat(answer.get(10, TimeUnit.SECONDS).posture().trust())
                .isEqualTo(TrustLevel.HIGH));
        assertThat(stub.postureRequests()).as("inventory lookups: the first fill, then one for all fifty").isEqualTo(2);
        assertThat(meters.counter("gatehouse_posture_cache_misses").count()).isEqualTo(2);
    }
}
