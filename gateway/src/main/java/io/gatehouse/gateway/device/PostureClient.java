package io.gatehouse.gateway.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.TrustLevel;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.gatehouse.gateway.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Asks device-inventory for the posture of one certificate fingerprint (docs/design.md, "Device identity and posture").
 * Contract: {@link #posture(String)} never errors; it emits the posture, or an unknown posture with a note. Steps:
 * <ol>
 *   <li>cache (TTL {@code gatehouse.inventory.cache-ttl}): a fresh answer, "not enrolled" included, is reused;
 *       while a lookup for a fingerprint is in flight, every other request for it waits for that one lookup
 *       (Caffeine {@link AsyncCache}: one lookup per fingerprint at expiry, not a burst of identical ones);</li>
 *   <li>{@code GET {url}/v1/posture?cert_sha256=HEX} with the client-credentials token, bounded by the timeout and
 *       guarded by the circuit breaker {@code device-inventory};</li>
 *   <li>200: the JSON (REQUEST.json {@code device} field names) becomes the posture; 404: unknown, note
 *       {@code device-not-enrolled}; both cached;</li>
 *   <li>anything else (timeout, 5xx, refused, breaker open, malformed JSON): unknown, note
 *       {@code device-inventory-unreachable} saying why, to every request that waited for that lookup; not cached,
 *       so the next request asks again.</li>
 * </ol>
 * Each lookup sent to the inventory (token included, cache hits and calls the open breaker refused not) is timed in
 * {@code gatehouse_posture_lookup_seconds{outcome}}, outcome {@code answered}, {@code device-not-enrolled} or
 * {@code device-inventory-unreachable} (buckets: {@code management.metrics.distribution.slo}).
 */
public final class PostureClient {

    private final WebClient web;
    private final InventoryProperties properties;
    private final @Nullable InventoryTokenClient tokens;
    private final CircuitBreaker breaker;
    private final AsyncCache<String, PostureLookup> cache;
    private final Counter hits;
    private final Counter misses;
    private final MeterRegistry meters;
    private final Counter internalErrors;

    PostureClient(WebClient web, InventoryProperties properties, @Nullable InventoryTokenClient tokens,
                  CircuitBreaker breaker, MeterRegistry meters) {
        this.web = Objects.requireNonNull(web, "web");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.tokens = tokens;
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.internalErrors = Failures.internalErrors(meters, "device");
        this.cache = Caffeine.newBuilder()
                .maximumSize(properties.cacheSize())
                .expireAfterWrite(properties.cacheTtl())
                .buildAsync();
        this.hits = Counter.builder("gatehouse_posture_cache_hits")
                .description("posture lookups answered from the cache").register(meters);
        this.misses = Counter.builder("gatehouse_posture_cache_misses")
                .description("posture lookups that asked device-inventory").register(meters);
        Gauge.builder("gatehouse_posture_breaker_state", breaker, b -> stateValue(b.getState()))
                .description("device-inventory circuit breaker: 0 closed, 1 open, 2 half-open, 3 other")
                .register(meters);
    }

    /**
     * The posture of the device with this certificate fingerprint (lower-case hex SHA-256); the inventory failing is
     * an "unreachable" answer, never an error; an error is a bug ({@code gatehouse_internal_errors_total}).
     */
    public Mono<PostureLookup> posture(String sha256) {
        if (properties.url() == null) {
            misses.increment();
            return Mono.just(PostureLookup.unreachable(sha256, "gatehouse.inventory.url is not configured"));
        }
        boolean[] asked = {false};
        CompletableFuture<PostureLookup> shared = shared(sha256, asked);
        if (!asked[0] && shared.isCompletedExceptionally()) {
            // A failed lookup leaves the cache on its completion callback, which may not have run yet: failures are
            // never reused, so this request asks again.
            cache.asMap().remove(sha256, shared);
            shared = shared(sha256, asked);
        }
        (asked[0] ? misses : hits).increment();
        if (shared.isDone() && !shared.isCompletedExceptionally()) {
            return Mono.justOrEmpty(shared.getNow(null)); // a cached answer: the request path need not wait for anything
        }
        // A failed lookup completes exceptionally, which also takes it out of the cache (failures are not cached).
        // suppressCancel: a client that goes away must not cancel the lookup the other requests wait for.
        // Only the inventory failing is "unreachable" (fail closed, as documented); a bug is not hidden behind it.
        return Mono.fromFuture(shared, true)
                .onErrorResume(PostureClient::inventoryFailure,
                        e -> Mono.just(PostureLookup.unreachable(sha256, describe(e))))
                .doOnError(e -> internalErrors.increment());
    }

    /**
     * The inventory (or its token endpoint) failing: failed I/O, a timeout, an error status or an undecodable
     * answer ({@link Failures#io}), or the open circuit breaker refusing the call.
     */
    static boolean inventoryFailure(Throwable e) {
        return Failures.io(e) || Failures.causedBy(e, CallNotPermittedException.class);
    }

    /** The cached or in-flight lookup for the fingerprint, or a new one ({@code asked[0]} set then). */
    private CompletableFuture<PostureLookup> shared(String sha256, boolean[] asked) {
        return cache.get(sha256, (key, executor) -> {
            asked[0] = true;
            return lookup(key);
        });
    }

    /** The one inventory lookup for a fingerprint, started now; counted once, whoever waits for it. */
    private CompletableFuture<PostureLookup> lookup(String sha256) {
        long[] start = {0};
        return ask(sha256)
                .doOnSubscribe(s -> start[0] = System.nanoTime())
                .timeout(properties.timeout())
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .doOnNext(answer -> {
                    count(answer);
                    time(start[0], answer);
                })
                .doOnError(e -> {
                    PostureLookup unreachable = PostureLookup.unreachable(sha256, "");
                    count(unreachable);
                    if (start[0] != 0) { // 0: the open breaker refused the call, nothing was sent
                        time(start[0], unreachable);
                    }
                })
                .toFuture();
    }

    private void time(long startNanos, PostureLookup answer) {
        Timer.builder("gatehouse.posture.lookup").tag("outcome", outcome(answer))
                .description("posture lookups sent to device-inventory, until answered or given up")
                .register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private static String outcome(PostureLookup answer) {
        return answer.note() == null ? "answered" : answer.note().code();
    }

    /** Whether a fresh answer for this fingerprint is cached (tests wait for expiry with it). */
    boolean isCached(String sha256) {
        CompletableFuture<PostureLookup> entry = cache.getIfPresent(sha256);
        return entry != null && entry.isDone() && !entry.isCompletedExceptionally();
    }

    public CircuitBreaker.State breakerState() {
        return breaker.getState();
    }

    private Mono<PostureLookup> ask(String sha256) {
        var uri = UriComponentsBuilder.fromUri(Objects.requireNonNull(properties.url()))
                .path("/v1/posture").queryParam("cert_sha256", sha256).build().toUri();
        Mono<String> token = tokens == null ? Mono.just("") : tokens.token();
        return token.flatMap(bearer -> web.get().uri(uri)
                .headers(h -> {
                    if (!bearer.isEmpty()) {
                        h.setBearerAuth(bearer);
                    }
                })
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> {
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn(PostureLookup.notEnrolled(sha256));
                    }
                    if (response.statusCode().value() == HttpStatus.UNAUTHORIZED.value() && tokens != null) {
                        tokens.invalidate();
                    }
                    if (!response.statusCode().is2xxSuccessful()) {
                        return response.createError();
                    }
                    return response.bodyToMono(PostureJson.class)
                            .map(json -> new PostureLookup(json.toPosture(sha256), null));
                }));
    }

    private void count(PostureLookup answer) {
        meters.counter("gatehouse_posture_lookups", "outcome", outcome(answer)).increment();
    }

    private String describe(Throwable e) {
        if (e instanceof TimeoutException) {
            return "no answer within " + properties.timeout().toMillis() + " ms";
        }
        if (e instanceof CallNotPermittedException) {
            return "circuit breaker open after repeated failures";
        }
        if (e instanceof WebClientResponseException w) {
            return "HTTP " + w.getStatusCode().value();
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static int stateValue(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }

    /** The inventory's posture JSON: exactly the REQUEST.json {@code device} field names. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PostureJson(@Nullable String id, @Nullable Boolean known, @Nullable Boolean managed, @Nullable String trust,
                       @JsonProperty("disk_encrypted") @Nullable Boolean diskEncrypted,
                       @JsonProperty("screen_lock") @Nullable Boolean screenLock, @Nullable String os,
                       @JsonProperty("os_version") @Nullable String osVersion, @Nullable String owner,
                       @JsonProperty("reported_at") @Nullable Instant reportedAt) {

        /** Missing booleans count as false and an unknown trust as untrusted: nothing counts in the device's favour. */
        DevicePosture toPosture(String sha256) {
            TrustLevel level = trust == null ? TrustLevel.UNTRUSTED
                    : TrustLevel.parse(trust).orElse(TrustLevel.UNTRUSTED);
            return new DevicePosture(id == null || id.isBlank() ? sha256 : id, Boolean.TRUE.equals(known),
                    Boolean.TRUE.equals(managed), level, Boolean.TRUE.equals(diskEncrypted),
                    Boolean.TRUE.equals(screenLock), os, osVersion, owner, reportedAt);
        }
    }
}
