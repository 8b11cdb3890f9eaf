package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.session.MapSession;
import org.springframework.session.Session;

class BoundedSessionMapTest {

    @Test
    void putWhenMoreSessionsThanTheCapThenAtMostTheCapHeldAndEvictionsCounted() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Map<String, Session> map = BoundedSessionMap.create("pre-login", 50, Clock.systemUTC(), meters);

        for (int i = 0; i < 200; i++) {
            MapSession session = new MapSession("s-" + i);
            session.setMaxInactiveInterval(Duration.ofMinutes(10));
            map.put(session.getId(), session);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("gatehouse.sessions.stored").tag("store", "pre-login").gauge().value()).isLessThanOrEqualTo(50);
            assertThat(meters.get("gatehouse.sessions.evicted").tag("store", "pre-login").counter().count())
                    .isGreaterThanOrEqualTo(150);
        });
    }

    @Test
    void putWhenSessionAlreadyPastItsMaxInactiveIntervalThenNotHeld() {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        Map<String, Session> map = BoundedSessionMap.create("session", 10, Clock.fixed(now, java.time.ZoneOffset.UTC),
                new SimpleMeterRegistry());
        MapSession stale = new MapSession("stale");
        stale.setLastAccessedTime(now.minus(Duration.ofMinutes(11)));
        stale.setMaxInactiveInterval(Duration.ofMinutes(10));
        MapSession live = new MapSession("live");
        live.setLastAccessedTime(now.minus(Duration.ofMinutes(9)));
        live.setMaxInactiveInterval(Duration.ofMinutes(10));

        map.put("stale", stale);
        map.put("live", live);

        assertThat(map.get("stale")).isNull();
        assertThat(map.get("live")).isNotNull();
    }
}
