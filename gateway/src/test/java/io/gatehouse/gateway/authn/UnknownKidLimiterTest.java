package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unknown-kid refetch limit, with Nimbus's time argument driven by the test. */
class UnknownKidLimiterTest {

    private static final long INTERVAL = 60_000;
    private final List<Boolean> refreshes = new ArrayList<>(); // what reached the cache: true = asked to refresh
    private final Counter limited = new SimpleMeterRegistry().counter("limited");
    private final UnknownKidLimiter limiter = new UnknownKidLimiter(new Recording(), INTERVAL, limited);

    private void unknownKid(long at) throws Exception {
        limiter.getJWKSet(JWKSetCacheRefreshEvaluator.forceRefresh(), at, null);
    }

    @Test
    void getWhenManyUnknownKidsInOneIntervalThenOneRefreshReachesTheCache() throws Exception {
        for (int i = 0; i < 100; i++) {
            unknownKid(1_000 + i);
        }

        assertThat(refreshes).hasSize(100).containsOnlyOnce(true);
        assertThat(refreshes.get(0)).isTrue();
        assertThat(limited.count()).isEqualTo(99);
    }

    @Test
    void getWhenIntervalPassedThenOneMoreRefresh() throws Exception {
        unknownKid(1_000);
        unknownKid(1_000 + INTERVAL - 1);
        unknownKid(1_000 + INTERVAL);
        unknownKid(1_000 + INTERVAL + 1);

        assertThat(refreshes).containsExactly(true, false, true, false);
    }

    @Test
    void getWhenRegularLoadThenPassedUnchangedAndNotCounted() throws Exception {
        unknownKid(1_000);
        for (int i = 0; i < 5; i++) {
            limiter.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), 1_000 + i, null);
        }

        assertThat(refreshes).containsExactly(true, false, false, false, false, false);
        assertThat(limited.count()).isZero();
    }

    @Test
    void constructorWhenIntervalNotPositiveThenFails() {
        assertThatThrownBy(() -> new UnknownKidLimiter(new Recording(), 0, limited))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intervalMillis");
    }

    /** Stands in for Nimbus's cache: records whether each call asked for a refresh. */
    private final class Recording implements JWKSetSource<SecurityContext> {
        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context) {
            refreshes.add(!evaluator.equals(JWKSetCacheRefreshEvaluator.noRefresh()));
            return new JWKSet();
        }

        @Override
        public void close() {
        }
    }
}
