package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The in-process session-ended stream and the Redis message format; no Spring, no Redis. */
class SessionEventsTest {

    private static final String HASH = "0123456789abcdef0123456789abcdef";

    @Test
    void endedWhenSubscribedThenSweepFirstThenEveryPublishedEvent() {
        SessionEvents events = SessionEvents.inMemory(new SimpleMeterRegistry());

        StepVerifier.create(events.ended().take(3))
                .expectNext(new SessionEvents.Ended(SessionEvents.Kind.SWEEP, null))
                .then(() -> events.publish(new SessionEvents.Ended(SessionEvents.Kind.LOGOUT, HASH)).block())
                .expectNext(new SessionEvents.Ended(SessionEvents.Kind.LOGOUT, HASH))
                .then(() -> events.publish(new SessionEvents.Ended(SessionEvents.Kind.BACKCHANNEL_LOGOUT, HASH))
                        .block())
                .expectNext(new SessionEvents.Ended(SessionEvents.Kind.BACKCHANNEL_LOGOUT, HASH))
                .verifyComplete();
    }

    @Test
    void parseWhenWellFormedThenEventElseIgnored() {
        assertThat(SessionEvents.parse("backchannel-logout " + HASH))
                .isEqualTo(new SessionEvents.Ended(SessionEvents.Kind.BACKCHANNEL_LOGOUT, HASH));
        for (String bad : List.of("", "logout", "logout not-a-hash", "sweep " + HASH, "reboot " + HASH,
                "logout " + HASH + " extra")) {
            assertThat(SessionEvents.parse(bad)).as(bad).isNull();
        }
    }

    @Test
    void endedWhenSweepWithSessionOrOtherWithoutThenRefused() {
        assertThatThrownBy(() -> new SessionEvents.Ended(SessionEvents.Kind.SWEEP, HASH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionEvents.Ended(SessionEvents.Kind.LOGOUT, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void browserSessionsWhenDeletedThenEventWithTheHashNotTheId() {
        SessionEvents events = SessionEvents.inMemory(new SimpleMeterRegistry());
        var repository = new org.springframework.session.ReactiveMapSessionRepository(
                new java.util.concurrent.ConcurrentHashMap<>());
        BrowserSessions sessions = new BrowserSessions(repository, repository,
                new SessionIndex.InMemory(100, new SimpleMeterRegistry()), Duration.ofHours(1), 3, events);

        StepVerifier.create(events.ended().skip(1).take(1))
                .then(() -> sessions.delete("the-session-id").block())
                .expectNext(new SessionEvents.Ended(SessionEvents.Kind.LOGOUT, BrowserSessions.hash("the-session-id")))
                .verifyComplete();
    }
}
