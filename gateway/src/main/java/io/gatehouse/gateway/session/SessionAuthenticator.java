package io.gatehouse.gateway.session;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.gatehouse.gateway.Failures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Turns the {@code __Host-gatehouse} cookie into the session's identity for the AUTHENTICATE stage. Steps:
 * <ol>
 *   <li>No cookie, or an unknown or expired session: empty (no credential; the DECIDE stage chooses 302 or 401).</li>
 *   <li>When the access token expires within the refresh skew, run the refresh grant and store the new facts, so
 *       group changes and disabled users are seen. The IdP refusing ends the session (empty); the IdP being
 *       unreachable keeps it until its end ("IdP down: existing sessions continue").</li>
 *   <li>Emit the identity with the session id's hash, never the id.</li>
 * </ol>
 * <p>One refresh per session at a time (issue 18, item 2), so that an IdP rotating refresh tokens never sees the old
 * one twice and never ends the session because two requests raced:
 * <ul>
 *   <li>in this process, concurrent requests of one session (same id, same refresh token) share one refresh: a
 *       bounded Caffeine cache of refreshes ({@value #MAX_REFRESHES} at most, each kept {@value #REFRESH_KEPT_SECONDS} s
 *       after it started, so a request that read the session just before the refresh saved it gets the new facts
 *       instead of spending the old token again; evictions by size are counted in
 *       {@code gatehouse_sessions_refreshes_evicted_total});</li>
 *   <li>across replicas (Redis), the refresh is claimed first in the shared index ({@code SET NX}, one per session
 *       and refresh token, {@value #CLAIM_SECONDS} s); a replica that loses the claim re-reads the session every
 *       100 ms, for at most {@value #WAIT_FOR_WINNER_MS} ms, until the winner saved the refreshed facts, and goes on
 *       with the facts it has when it did not (the access token has not expired yet: the refresh skew).</li>
 * </ul>
 * When the session store cannot be asked (Redis disconnected or not answering within its command timeout), the
 * answer is an error {@link SessionStoreUnavailableException} (the stage answers 503 with {@code Retry-After}),
 * counted in {@code gatehouse_sessions_store_unavailable_total}: the session is neither accepted nor ended. Any
 * other error (a bug, not the store's or the IdP's failure) is not caught: 500, counted in
 * {@code gatehouse_internal_errors_total{stage="authenticate"}}.
 */
public final class SessionAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAuthenticator.class);
    static final int MAX_REFRESHES = 10_000;
    static final int REFRESH_KEPT_SECONDS = 30;
    static final int CLAIM_SECONDS = 10;
    static final int WAIT_FOR_WINNER_MS = 2_000;
    private static final Duration WAIT_STEP = Duration.ofMillis(100);

    /** A session's identity and the hash of its id. */
    public record Authenticated(io.gatehouse.policy.Identity identity, String sessionIdHash) {
    }

    private final BrowserSessions sessions;
    private final TokenRefresher refresher;
    private final Clock clock;
    private final Duration refreshSkew;
    private final Counter unavailable;
    private final Counter internalErrors;
    /** Refreshes in flight or just done, by session id and refresh token (hashed); null result: session ended. */
    private final AsyncCache<String, SessionFacts> refreshes;

    public SessionAuthenticator(BrowserSessions sessions, TokenRefresher refresher, Clock clock, Duration refreshSkew) {
        this(sessions, refresher, clock, refreshSkew, new SimpleMeterRegistry());
    }

    public SessionAuthenticator(BrowserSessions sessions, TokenRefresher refresher, Clock clock, Duration refreshSkew,
                                MeterRegistry meters) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshSkew = Objects.requireNonNull(refreshSkew, "refreshSkew");
        this.unavailable = Counter.builder("gatehouse.sessions.store.unavailable")
                .description("Requests with a session cookie answered 503 because the session store could not be reached")
                .register(meters);
        this.internalErrors = Failures.internalErrors(meters, "authenticate");
        Counter evicted = Counter.builder("gatehouse.sessions.refreshes.evicted")
                .description("Shared session refreshes dropped because " + MAX_REFRESHES + " were held")
                .register(meters);
        this.refreshes = Caffeine.newBuilder().maximumSize(MAX_REFRESHES)
                .expireAfterWrite(Duration.ofSeconds(REFRESH_KEPT_SECONDS))
                .<String, SessionFacts>removalListener((key, value, cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evicted.increment();
                    }
                })
                .buildAsync();
    }

    public Mono<Authenticated> authenticate(ServerWebExchange exchange) {
        return authenticate(SessionCookies.read(exchange, SessionCookies.SESSION));
    }

    /**
     * As {@link #authenticate(ServerWebExchange)}, from the {@code __Host-gatehouse} cookie's value (null or empty:
     * no credential, so empty).
     */
    public Mono<Authenticated> authenticate(@org.jspecify.annotations.Nullable String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) {
            return Mono.empty();
        }
        return authenticateSessionId(cookieValue);
    }

    /**
     * The same steps for a session id already in hand (the re-decision of a long-lived connection, which has the id
     * and no cookie): empty when the session is unknown, expired or ended by a refused refresh.
     */
    public Mono<Authenticated> authenticateSessionId(String id) {
        Objects.requireNonNull(id, "id");
        return store(sessions.find(id)).flatMap(facts -> current(id, facts))
                .map(facts -> new Authenticated(facts.identity(), BrowserSessions.hash(id)))
                .doOnError(e -> {
                    // A bug (not the store, not the IdP) is not caught: the error handler answers 500.
                    (e instanceof SessionStoreUnavailableException ? unavailable : internalErrors).increment();
                });
    }

    /** A store operation whose failure means "the store could not be asked". */
    private static <T> Mono<T> store(Mono<T> operation) {
        return operation.onErrorMap(SessionStoreUnavailableException::isStoreFailure,
                SessionStoreUnavailableException::new);
    }

    private Mono<SessionFacts> current(String id, SessionFacts facts) {
        var now = clock.instant();
        if (!now.isBefore(facts.expiresAt())) {
            return store(sessions.delete(id)).then(Mono.empty());
        }
        String refreshToken = facts.refreshToken();
        if (refreshToken == null || now.isBefore(facts.accessExpiresAt().minus(refreshSkew))) {
            return Mono.just(facts);
        }
        String key = BrowserSessions.hash(id + "\n" + refreshToken);
        // One refresh for all requests of this session holding this refresh token; its result is shared.
        return Mono.fromFuture(() -> refreshes.get(key, (k, executor) -> claimedRefresh(id, facts, k).toFuture()), true);
    }

    /** Refreshes when this replica wins the claim; otherwise waits for the winner's result. */
    private Mono<SessionFacts> claimedRefresh(String id, SessionFacts facts, String key) {
        return store(sessions.index().claim(SessionIndex.taken("refresh:" + key), Duration.ofSeconds(CLAIM_SECONDS)))
                .flatMap(won -> won ? refresh(id, facts) : refreshedElsewhere(id, facts));
    }

    private Mono<SessionFacts> refresh(String id, SessionFacts facts) {
        return refresher.refresh(Objects.requireNonNull(facts.refreshToken()))
                .map(r -> Optional.of(facts.refreshed(r.identity(), r.refreshToken(), r.idToken(),
                        r.accessExpiresAt())))
                .onErrorResume(TokenRefresher.Rejected.class, e -> {
                    LOG.info("session {} ended: the IdP refused the refresh ({})", BrowserSessions.hash(id), e.getMessage());
                    return store(sessions.delete(id)).then(Mono.just(Optional.<SessionFacts>empty()));
                })
                .onErrorResume(TokenRefresher.Unreachable.class, e -> {
                    // The IdP is unreachable: the session goes on with the facts it has until it ends.
                    LOG.warn("session {}: refresh failed, IdP unreachable ({}); keeping the session until {}",
                            BrowserSessions.hash(id), e.toString(), facts.expiresAt());
                    return Mono.just(Optional.of(facts));
                })
                .flatMap(next -> next.isEmpty() || next.get() == facts ? Mono.justOrEmpty(next)
                        : store(sessions.update(id, next.get())).thenReturn(next.get()));
    }

    /**
     * Another replica refreshes this session: re-read it until the facts changed (new refresh token or a later
     * access expiry) or it is gone, at most {@value #WAIT_FOR_WINNER_MS} ms; then the facts at hand.
     */
    private Mono<SessionFacts> refreshedElsewhere(String id, SessionFacts facts) {
        long steps = WAIT_FOR_WINNER_MS / WAIT_STEP.toMillis();
        return Mono.defer(() -> store(sessions.find(id)).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .filter(now -> now.isEmpty() || changed(facts, now.get()))
                .repeatWhenEmpty(attempts -> attempts.take(steps).concatMap(i -> Mono.delay(WAIT_STEP)))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    LOG.warn("session {}: another replica's refresh did not arrive within {} ms; going on with the"
                            + " current facts", BrowserSessions.hash(id), WAIT_FOR_WINNER_MS);
                    return Optional.of(facts);
                }))
                .flatMap(Mono::justOrEmpty);
    }

    private static boolean changed(SessionFacts before, SessionFacts now) {
        return !Objects.equals(before.refreshToken(), now.refreshToken())
                || now.accessExpiresAt().isAfter(before.accessExpiresAt());
    }
}
