package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.ReactiveMapSessionRepository;
import org.springframework.session.ReactiveSessionRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The login attempt stored under an OIDC {@code state} is single use: a callback replayed while the first one is still
 * being handled (both read the pre-login session before either saved it) must not get it a second time.
 */
class BrowserSessionsTest {

    private static final String ATTEMPT = "attempt:state-1";

    @Test
    void takeLoginAttributeWhenTakenTwiceOneAfterTheOtherThenSecondIsEmpty() {
        BrowserSessions sessions = new BrowserSessions(new ReactiveMapSessionRepository(new ConcurrentHashMap<>()),
                new SessionIndex.InMemory(), Duration.ofHours(8));
        String login = sessions.createLogin(Map.of(ATTEMPT, "verifier-and-nonce"), Duration.ofMinutes(10)).block();

        assertThat(sessions.takeLoginAttribute(login, ATTEMPT).block()).isEqualTo("verifier-and-nonce");
        assertThat(sessions.takeLoginAttribute(login, ATTEMPT).blockOptional()).isEmpty();
    }

    @Test
    void takeLoginAttributeWhenTwoCallbacksReadTheSessionBeforeEitherSavesThenOnlyOneGetsIt() {
        // Each read is answered 50 ms late: both callbacks hold a copy with the attempt in it before either removes it,
        // as two replicas or two event loops may.
        ReactiveMapSessionRepository store = new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
        BrowserSessions sessions = new BrowserSessions(new SlowReads(store), new SessionIndex.InMemory(),
                Duration.ofHours(8));
        String login = sessions.createLogin(Map.of(ATTEMPT, "verifier-and-nonce"), Duration.ofMinutes(10)).block();

        List<Optional<String>> taken = Flux.merge(
                        sessions.takeLoginAttribute(login, ATTEMPT).map(Optional::of).defaultIfEmpty(Optional.empty()),
                        sessions.takeLoginAttribute(login, ATTEMPT).map(Optional::of).defaultIfEmpty(Optional.empty()))
                .collectList().block(Duration.ofSeconds(5));

        assertThat(taken).containsExactlyInAnyOrder(Optional.of("verifier-and-nonce"), Optional.empty());
    }

    @Test
    void addLoginAttributeWhenMoreThanTheCapThenTheOldestAttemptsAreDropped() {
        var store = new ReactiveMapSessionRepository(new ConcurrentHashMap<>());
        BrowserSessions sessions = new BrowserSessions(store, store, new SessionIndex.InMemory(), Duration.ofHours(8), 2);
        String login = sessions.createLogin(Map.of("login.a", "1"), Duration.ofMinutes(10)).block();
        sessions.addLoginAttribute(login, "login.b", "2").block();
        sessions.addLoginAttribute(login, "login.c", "3").block();

        assertThat(sessions.takeLoginAttribute(login, "login.a").blockOptional()).isEmpty();
        assertThat(sessions.takeLoginAttribute(login, "login.b").block()).isEqualTo("2");
        assertThat(sessions.takeLoginAttribute(login, "login.c").block()).isEqualTo("3");
        assertThat(store.findById(login).block().getAttributeNames()).doesNotContain("login.a", "login.b", "login.c");
    }

    @Test
    void claimWhenSameKeyAgainWithinItsLifetimeThenFalseAndOtherKeysUnaffected() {
        SessionIndex index = new SessionIndex.InMemory();

        assertThat(index.claim("k1", Duration.ofMinutes(1)).block()).isTrue();
        assertThat(index.claim("k1", Duration.ofMinutes(1)).block()).isFalse();
        assertThat(index.claim("k2", Duration.ofMinutes(1)).block()).isTrue();
    }

    /** A session repository whose reads take a copy at once and hand it over 50 ms later. */
    private record SlowReads(ReactiveMapSessionRepository store) implements ReactiveSessionRepository<MapSession> {

        @Override
        public Mono<MapSession> createSession() {
            return store.createSession();
        }

        @Override
        public Mono<Void> save(MapSession session) {
            return store.save(session);
        }

        @Override
        public Mono<MapSession> findById(String id) {
            MapSession copy = store.findById(id).block();
            return Mono.justOrEmpty(copy).delayElement(Duration.ofMillis(50));
        }

        @Override
        public Mono<Void> deleteById(String id) {
            return store.deleteById(id);
        }
    }
}
