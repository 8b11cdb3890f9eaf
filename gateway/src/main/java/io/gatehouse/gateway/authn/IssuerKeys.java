package io.gatehouse.gateway.authn;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The JWKS of one issuer, as a Nimbus {@link JWKSource} built with {@link JWKSourceBuilder} (docs/design.md, "Identity"):
 * <ul>
 *   <li>the key set is cached for the refresh interval and refreshed ahead of its expiry while tokens arrive, so a
 *       key the IdP removed stops being trusted at most one interval after the removal;</li>
 *   <li>when the IdP cannot be reached, the last keys fetched keep verifying for the outage tolerance (0: none)
 *       after that fetch; with no keys ever fetched, the error reaches the caller (a 503, see
 *       {@link IssuerUnavailableException});</li>
 *   <li>a token whose {@code kid} is in no cached key makes Nimbus ask for a fresh set; {@link UnknownKidLimiter}
 *       lets that through at most once per refresh interval and otherwise answers from the cache, so tokens with
 *       random {@code kid}s cost the IdP at most one fetch per interval.</li>
 * </ul>
 * Fetches time out (2 s connect, 5 s read) and read at most {@value #MAX_JWKS_BYTES} bytes. Metrics:
 * {@code gatehouse_bearer_jwks_fetches} and {@code gatehouse_bearer_jwks_refetches_limited}, tagged by issuer.
 */
record IssuerKeys(JWKSource<SecurityContext> source, JWKSetSource<SecurityContext> chain) implements AutoCloseable {

    static final int MAX_JWKS_BYTES = 256 * 1024;
    private static final int CONNECT_MS = 2_000;
    private static final int READ_MS = 5_000;

    IssuerKeys {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(chain, "chain");
    }

    static IssuerKeys of(String issuer, String jwksUri, Duration refreshInterval, Duration outageTolerance,
                         MeterRegistry meters) {
        JWKSetSource<SecurityContext> http;
        try {
            http = new URLBasedJWKSetSource<>(URI.create(jwksUri).toURL(),
                    new DefaultResourceRetriever(CONNECT_MS, READ_MS, MAX_JWKS_BYTES));
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IssuerVerifier.DiscoveryException("the jwks_uri of " + issuer + " is not a URL: " + jwksUri, e);
        }
        Counter fetches = Counter.builder("gatehouse_bearer_jwks_fetches").tag("issuer", issuer)
                .description("JWKS fetches from the issuer (cache fills, refreshes, unknown-kid refetches)")
                .register(meters);
        long ttl = refreshInterval.toMillis();
        // Nimbus wants refresh-ahead time + refresh timeout below the TTL: a quarter each keeps short test intervals
        long refreshTimeout = Math.min(JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT, ttl / 4);
        long refreshAhead = Math.min(JWKSourceBuilder.DEFAULT_REFRESH_AHEAD_TIME, ttl / 4);
        JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.create(new Counting(http, fetches))
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead, false)
                .rateLimited(false) // Nimbus allows two per window; UnknownKidLimiter below allows one
                .retrying(false);
        // outage tolerance only helps when it outlasts the cache; Nimbus refuses it otherwise
        builder = outageTolerance.compareTo(refreshInterval) > 0 ? builder.outageTolerant(outageTolerance.toMillis())
                : builder.outageTolerant(false);
        JWKSetBasedJWKSource<SecurityContext> cached = (JWKSetBasedJWKSource<SecurityContext>) builder.build();
        Counter limited = Counter.builder("gatehouse_bearer_jwks_refetches_limited").tag("issuer", issuer)
                .description("tokens with an unknown kid answered from the cached JWKS (one refetch per interval)")
                .register(meters);
        JWKSetSource<SecurityContext> chain = new UnknownKidLimiter(cached.getJWKSetSource(), ttl, limited);
        return new IssuerKeys(new JWKSetBasedJWKSource<>(chain), chain);
    }

    @Override
    public void close() {
        try {
            chain.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts what reaches the IdP. */
    private static final class Counting extends JWKSetSourceWrapper<SecurityContext> {
        private final Counter fetches;

        Counting(JWKSetSource<SecurityContext> source, Counter fetches) {
            super(source);
            this.fetches = fetches;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, SecurityContext context)
                throws KeySourceException {
            fetches.increment();
            return getSource().getJWKSet(evaluator, currentTime, context);
        }
    }
}
