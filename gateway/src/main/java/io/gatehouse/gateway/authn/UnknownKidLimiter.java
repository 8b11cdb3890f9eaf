package io.gatehouse.gateway.authn;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.proc.SecurityContext;
import io.micrometer.core.instrument.Counter;
import java.util.Objects;

/**
 * Sits between Nimbus's {@code JWKSetBasedJWKSource} and its cache. When no cached key matches a token, Nimbus asks
 * the cache for a fresh set (an evaluator other than {@code noRefresh}); this lets such a request through at most
 * once per {@code intervalMillis} and otherwise asks the cache without refresh, so the token finds no key and is
 * refused. Regular loads (cache empty or expired) pass unchanged. Nimbus's own {@code RateLimitedJWKSetSource} is
 * not used: it allows two fetches per window and also counts the regular refreshes.
 */
final class UnknownKidLimiter extends JWKSetSourceWrapper<SecurityContext> {

    private final long intervalMillis;
    private final Counter limited;
    private long lastRefetch = Long.MIN_VALUE;

    UnknownKidLimiter(JWKSetSource<SecurityContext> cache, long intervalMillis, Counter limited) {
        super(cache);
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive, got " + intervalMillis);
        }
        this.intervalMillis = intervalMillis;
        this.limited = Objects.requireNonNull(limited, "limited");
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
            throws KeySourceException {
        JWKSetCacheRefreshEvaluator noRefresh = JWKSetCacheRefreshEvaluator.noRefresh();
        if (evaluator.equals(noRefresh) || mayRefetch(currentTime)) {
            return getSource().getJWKSet(evaluator, currentTime, context);
        }
        limited.increment();
        return getSource().getJWKSet(noRefresh, currentTime, context);
    }

    private synchronized boolean mayRefetch(long now) {
        if (lastRefetch != Long.MIN_VALUE && now - lastRefetch < intervalMillis) {
            return false;
        }
        lastRefetch = now;
        return true;
    }
}
