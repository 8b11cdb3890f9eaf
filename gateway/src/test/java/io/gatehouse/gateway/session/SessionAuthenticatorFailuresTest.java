package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.policy.Identity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpCookie;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import reactor.core.publisher.Mono;

/**
 * Issue 17, "Catch only what you mean": the IdP failing keeps a session until it ends and the store failing is a
 * 503 ({@link SessionStoreUnavailableException}), as before; a bug in a collaborator is neither: it surfaces (the
 * error handler answers 500) and is counted in {@code gatehouse_internal_errors_total{stage="authenticate"}}.
 */
class SessionAuthenticatorFailuresTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionFacts due = new SessionFacts(new Identity("u-1", "pat@corp.example", List.of("finance"),
            Map.of(), NOW, true), "sid-1", "refresh-1", "id-token", NOW.minusSeconds(1), NOW.plusSeconds(3600));

    private SessionAuthenticator authenticator(ReactiveMapSessionRepository repository, TokenRefresher refresher) {
        return new SessionAuthenticator(new BrowserSessions(repository, new SessionIndex.InMemory(),
                Duration.ofHours(8)), refresher, clock, Duration.ofSeconds(30), meters);
    }

    private static MockServerWebExchange withCookie(String id) {
        return MockServerWebExchange.from(MockServerHttpRequest.get("https://app.corp.example/")
                .cookie(new HttpCookie(SessionCookies.SESSION, id)));
    }

    private String stored(ReactiveMapSessionRepository repository) {
        BrowserSessions sessions = new BrowserSessions(repository, new SessionIndex.InMemory(), Duration.ofHours(8));
        return sessions.create(due).block(Duration.ofSeconds(5));
    }

    private double internalErrors() {
        var counter = meters.find("gatehouse_internal_errors").tag("stage", "authenticate").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void authenticateWhenRefresherHasABugThenTheBugSurfacesAndIsCounted() {
        var repository = new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
        String id = stored(repository);
        var authenticator = authenticator(repository, token -> Mono.error(new IllegalStateException("a bug")));
        assertThatThrownBy(() -> authenticator.authenticate(withCookie(id)).block(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessage("a bug");
        assertThat(internalErrors()).isEqualTo(1);
    }

    @Test
    void authenticateWhenIdpUnreachableThenSessionKeptAsBefore() {
        var repository = new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
        String id = stored(repository);
        var authenticator = authenticator(repository, token -> Mono.error(
                new TokenRefresher.Unreachable(new java.net.ConnectException("refused"))));
        var who = authenticator.authenticate(withCookie(id)).block(Duration.ofSeconds(5));
        assertThat(who).isNotNull();
        assertThat(who.identity().sub()).isEqualTo("u-1");
        assertThat(internalErrors()).isZero();
    }

    /** A repository whose reads fail with {@code failure}. */
    private static ReactiveMapSessionRepository failingReads(RuntimeException failure) {
        return new ReactiveMapSessionRepository(new ConcurrentHashMap<>()) {
            @Override
            public Mono<MapSession> findById(String id) {
                return Mono.error(failure);
            }
        };
    }

    @Test
    void authenticateWhenStoreHasABugThenNot503ButTheBug() {
        var authenticator = authenticator(failingReads(new NullPointerException("a bug")), token -> Mono.empty());
        assertThatThrownBy(() -> authenticator.authenticate(withCookie("s-1")).block(Duration.ofSeconds(5)))
                .isInstanceOf(NullPointerException.class);
        assertThat(internalErrors()).isEqualTo(1);
    }

    @Test
    void authenticateWhenStoreUnreachableThenStoreUnavailableAsBefore() {
        var authenticator = authenticator(failingReads(new RedisConnectionFailureException("down")),
                token -> Mono.empty());
        assertThatThrownBy(() -> authenticator.authenticate(withCookie("s-1")).block(Duration.ofSeconds(5)))
                .isInstanceOf(SessionStoreUnavailableException.class);
        assertThat(internalErrors()).isZero();
    }
}
