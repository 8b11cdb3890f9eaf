package io.gatehouse.verifier;

import static io.gatehouse.verifier.TestTokens.AUDIENCE;
import static io.gatehouse.verifier.TestTokens.HOST;
import static io.gatehouse.verifier.TestTokens.ISSUER;
import static io.gatehouse.verifier.TestTokens.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.testsupport.JwksServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteKeySourceIT {
    final ECKey oldKey = TestTokens.newKey("k-old");
    final ECKey newKey = TestTokens.newKey("k-new");
    final MutableClock clock = new MutableClock(NOW);
    final JwksServer gateway;
    final GatehouseVerifier verifier;

    RemoteKeySourceIT() throws Exception {
        gateway = JwksServer.start(GatehouseVerifier.JWKS_PATH).publish(TestTokens.publicSet(oldKey));
        verifier = GatehouseVerifier.builder(ISSUER, AUDIENCE).jwksUri(gateway.jwksUri()).clock(clock)
                .jwksMinRefreshInterval(Duration.ofSeconds(30)).jwksRefreshAfter(Duration.ofMinutes(5)).build();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void verifyWhenKeyRotatesInThenUnknownKidFetchesTheNewSet() throws Exception {
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
        gateway.publish(TestTokens.publicSet(oldKey, newKey));
        clock.advance(Duration.ofSeconds(31));

        assertThat(verify(newKey).subject()).isEqualTo("u-17");
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
        assertThat(gateway.requests()).isEqualTo(2);
    }

    @Test
    void verifyWhenRandomKidsFloodThenAtMostOneFetchPerInterval() throws Exception {
        verify(oldKey);
        for (int i = 0; i < 50; i++) {
            assertReason(TestTokens.newKey("random-" + i), RejectionReason.UNKNOWN_KEY);
        }
        assertThat(gateway.requests()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 50; i++) {
            assertReason(TestTokens.newKey("random-b" + i), RejectionReason.UNKNOWN_KEY);
        }
        assertThat(gateway.requests()).isEqualTo(2);
    }

    @Test
    void verifyWhenCachedSetIsStaleThenServesCachedKeyAndRefreshesInBackground() throws Exception {
        verify(oldKey);
        clock.advance(Duration.ofMinutes(6));

        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.requests() == 2);
    }

    @Test
    void verifyWhenRefreshFailsThenOldKeysKeepWorking() throws Exception {
        verify(oldKey);
        gateway.failWith(503);
        clock.advance(Duration.ofSeconds(31));

        assertReason(newKey, RejectionReason.UNKNOWN_KEY); // its refresh fails, waited for
        assertThat(gateway.requests()).isEqualTo(2);
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenBackgroundRefreshFailsThenCachedKeyStillServed() throws Exception {
        verify(oldKey);
        gateway.failWith(503);
        clock.advance(Duration.ofMinutes(6));

        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.requests() == 2);
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
    }

    @Test
    void verifyWhenKeySetCouldNotBeRefreshedForADayThenKeysUnavailable() throws Exception {
        verify(oldKey);
        gateway.failWith(503);
        clock.advance(Duration.ofHours(23));
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");

        clock.advance(Duration.ofHours(1));
        assertReason(oldKey, RejectionReason.KEYS_UNAVAILABLE);
    }

    @Test
    void verifyWhenGatewayNeverAnsweredThenKeysUnavailableUntilItDoes() throws Exception {
        gateway.failWith(500);
        assertReason(oldKey, RejectionReason.KEYS_UNAVAILABLE);

        gateway.publish(TestTokens.publicSet(oldKey));
        assertReason(oldKey, RejectionReason.KEYS_UNAVAILABLE); // rate-limited: no second fetch yet
        clock.advance(Duration.ofSeconds(30));
        assertThat(verify(oldKey).subject()).isEqualTo("u-17");
        assertThat(gateway.requests()).isEqualTo(2);
    }

    @Test
    void verifyWhenManyThreadsMeetARotatedKeyAtOnceThenOneFetchServesThemAll() throws Exception {
        verify(oldKey);
        gateway.publish(TestTokens.publicSet(oldKey, newKey));
        clock.advance(Duration.ofSeconds(31));
        String token = TestTokens.sign(newKey, TestTokens.claims(clock.instant(), "GET", "/salaries"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GatehouseIdentity>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return verifier.verify(token, "GET", HOST, "/salaries");
                }));
            }
            start.countDown();
            for (Future<GatehouseIdentity> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS).subject()).isEqualTo("u-17");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(gateway.requests()).isEqualTo(2);
    }

    @Test
    void verifyWhenJwksUriUnsetThenDerivedFromIssuer() throws Exception {
        GatehouseVerifier fromIssuer = GatehouseVerifier.builder(gateway.issuer(), AUDIENCE).clock(clock).build();
        var claims = TestTokens.claims(clock.instant(), "GET", "/salaries");
        claims.put("iss", gateway.issuer());

        assertThat(fromIssuer.verify(TestTokens.sign(oldKey, claims), "GET", HOST, "/salaries").subject()).isEqualTo("u-17");
    }

    private GatehouseIdentity verify(ECKey key) throws AssertionRejectedException {
        return verifier.verify(TestTokens.sign(key, TestTokens.claims(clock.instant(), "GET", "/salaries")), "GET", HOST, "/salaries");
    }

    private void assertReason(ECKey key, RejectionReason reason) {
        assertThatExceptionOfType(AssertionRejectedException.class).isThrownBy(() -> verify(key))
                .satisfies(e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
