package io.gatehouse.gateway.session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
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
 * When the session store cannot be asked (Redis disconnected or not answering within its command timeout), the
 * answer is an error {@link SessionStoreUnavailableException} (the stage answers 503 with {@code Retry-After}),
 * counted in {@code gatehouse_sessions_store_unavailable_total}: the session is neither accepted nor ended.
 */
public final class SessionAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(SessionAuthenticator.class);

    /** A session's identity and the hash of its id. */
    public record Authenticated(io.gatehouse.policy.Identity identity, String sessionIdHash) {
    }

    private final BrowserSessions sessions;
    private final TokenRefresher refresher;
    private final Clock clock;
    private final Duration refreshSkew;
    private final Counter unavailable;

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
    }

    public Mono<Authenticated> authenticate(ServerWebExchange exchange) {
        String id = SessionCookies.read(exchange, SessionCookies.SESSION);
        if (id == null) {
            return Mono.empty();
        }
        return sessions.find(id).flatMap(facts -> current(id, facts))
                .map(facts -> new Authenticated(facts.identity(), BrowserSessions.hash(id)))
                .onErrorMap(SessionAuthenticator::storeFailure, e -> {
                    unavailable.increment();
                    return new SessionStoreUnavailableException(e);
                });
    }

    /** An error of the store itself, not the IdP's answer nor one already mapped. */
    private static boolean storeFailure(Throwable e) {
        return !(e instanceof SessionStoreUnavailableException) && !(e instanceof TokenRefresher.Rejected);
    }

    private Mono<SessionFacts> current(String id, SessionFacts facts) {
        var now = clock.instant();
        if (!now.isBefore(facts.expiresAt())) {
            return sessions.delete(id).then(Mono.empty());
        }
        if (facts.refreshToken() == null || now.isBefore(facts.accessExpiresAt().minus(refreshSkew))) {
            return Mono.just(facts);
        }
        return refresher.refresh(facts.refreshToken())
                .map(r -> facts.refreshed(r.groups(), r.claims(), r.email(), r.refreshToken(), r.idToken(),
                        r.accessExpiresAt()))
                .flatMap(next -> sessions.update(id, next).thenReturn(next))
                .onErrorResume(TokenRefresher.Rejected.class, e -> {
                    LOG.info("session {} ended: the IdP refused the refresh ({})", BrowserSessions.hash(id), e.getMessage());
                    return sessions.delete(id).then(Mono.empty());
                })
                .onErrorResume(e -> !(e instanceof TokenRefresher.Rejected), e -> {
                    // The IdP is unreachable: the session goes on with the facts it has until it ends.
                    LOG.warn("session {}: refresh failed, IdP unreachable ({}); keeping the session until {}",
                            BrowserSessions.hash(id), e.toString(), facts.expiresAt());
                    return Mono.just(facts);
                });
    }
}
