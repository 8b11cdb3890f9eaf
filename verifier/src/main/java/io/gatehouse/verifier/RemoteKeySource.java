package io.gatehouse.verifier;

import com.nimbusds.jose.jwk.JWKSet;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's JWKS, fetched over HTTP and cached. Flow of {@link #key}:
 * <ol>
 *   <li>a cached key is returned at once; when the cached set is older than {@code refreshAfter}
 *       a refresh starts in the background and the cached set keeps serving meanwhile
 *       (stale-while-refresh);</li>
 *   <li>an unknown {@code kid} (a key rotated in) triggers a refresh and waits for it;</li>
 *   <li>refreshes of either kind start at most once per {@code minRefreshInterval}, so a flood of
 *       random {@code kid}s cannot hammer the gateway; concurrent callers share one fetch;</li>
 *   <li>a failed refresh is logged and keeps the keys it had, so a gateway blip is no outage;</li>
 *   <li>but a set that could not be refreshed for {@code maxStale} (24 h by default) is dropped:
 *       a key the gateway withdrew must not stay trusted forever because its JWKS is unreachable.</li>
 * </ol>
 * Thread-safe. Uses the JDK's {@link HttpClient}; time comes from the injected {@link Clock}.
 */
final class RemoteKeySource implements KeySource {
    private static final System.Logger LOG = System.getLogger(RemoteKeySource.class.getName());
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private record Snapshot(KeySet keys, Instant fetchedAt) {}

    private final URI uri;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration refreshAfter;
    private final Duration minRefreshInterval;
    private final Duration maxStale;
    private final Clock clock;
    private final Es256Signatures signatures;

    private volatile @Nullable Snapshot current;
    // guarded by this
    private @Nullable Instant lastAttempt;
    private @Nullable CompletableFuture<Void> inFlight;

    RemoteKeySource(URI uri, HttpClient http, Duration timeout, Duration refreshAfter,
            Duration minRefreshInterval, Duration maxStale, Clock clock, Es256Signatures signatures) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.refreshAfter = Objects.requireNonNull(refreshAfter, "refreshAfter");
        this.minRefreshInterval = Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
        this.maxStale = Objects.requireNonNull(maxStale, "maxStale");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signatures = Objects.requireNonNull(signatures, "signatures");
    }

    @Override
    public PublicKey key(String kid) throws AssertionRejectedException {
        Snapshot snapshot = usable(current);
        if (snapshot != null) {
            PublicKey key = snapshot.keys().get(kid);
            if (key != null) {
                if (!clock.instant().isBefore(snapshot.fetchedAt().plus(refreshAfter))) {
                    startRefreshIfAllowed(); // serve the cached key; do not wait
                }
                return key;
            }
        }
        CompletableFuture<Void> refresh = startRefreshIfAllowed();
        if (refresh != null) {
            await(refresh);
        }
        snapshot = usable(current);
        if (snapshot == null) {
            // The details (URL, error) go to the log, not into a 401 body a stranger may read.
            throw new AssertionRejectedException(RejectionReason.KEYS_UNAVAILABLE,
                    "the gateway's keys could not be fetched yet");
        }
        PublicKey key = snapshot.keys().get(kid);
        if (key == null) {
            throw new AssertionRejectedException(RejectionReason.UNKNOWN_KEY,
                    "kid " + AssertionRejectedException.quote(kid) + " is not one of " + snapshot.keys().kids());
        }
        return key;
    }

    private @Nullable Snapshot usable(@Nullable Snapshot snapshot) {
        return snapshot != null && clock.instant().isBefore(snapshot.fetchedAt().plus(maxStale)) ? snapshot : null;
    }

    /** Starts a fetch unless one ran within {@code minRefreshInterval}; returns the running fetch, or null. */
    synchronized @Nullable CompletableFuture<Void> startRefreshIfAllowed() {
        if (inFlight != null && !inFlight.isDone()) {
            return inFlight;
        }
        Instant now = clock.instant();
        if (lastAttempt != null && now.isBefore(lastAttempt.plus(minRefreshInterval))) {
            return null;
        }
        lastAttempt = now;
        inFlight = fetch().handle((keys, error) -> {
            if (error == null) {
                current = new Snapshot(keys, clock.instant());
                LOG.log(Level.DEBUG, "fetched {0} gateway keys {1} from {2}", keys.kids().size(), keys.kids(), uri);
            } else {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                LOG.log(Level.WARNING, "could not refresh gateway keys from {0}, keeping {1}: {2}",
                        uri, current == null ? "none" : current.keys().kids(), String.valueOf(cause));
            }
            return null;
        });
        return inFlight;
    }

    private CompletableFuture<KeySet> fetch() {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/jwk-set+json, application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + uri);
            }
            if (response.body().length > MAX_JWKS_BYTES) {
                throw new IllegalStateException("key set from " + uri + " is over " + MAX_JWKS_BYTES + " bytes");
            }
            try {
                return KeySet.of(JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)), signatures);
            } catch (java.text.ParseException e) {
                throw new IllegalStateException("not a JWK set at " + uri + ": " + e.getMessage(), e);
            }
        });
    }

    private void await(CompletableFuture<Void> refresh) throws AssertionRejectedException {
        try {
            refresh.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionRejectedException(RejectionReason.KEYS_UNAVAILABLE, "interrupted fetching keys from " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            // handled in the fetch's own stage; the cached set (if any) decides below
        }
    }

    @Override
    public String toString() {
        return "RemoteKeySource[" + uri + "]";
    }
}
