package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.session.MapSession;

/**
 * A browser session keeps the identity the {@code ClaimsMapper} built at login, {@code emailVerified} included,
 * through its stored attributes (JSON in Redis); a session stored before {@code emailVerified} was (issue 17) reads
 * it from its {@code email_verified} claim as before: false means no verified email, absent counts as verified.
 */
class SessionFactsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final RedisSerializer<Object> json = SessionJson.serializer();

    private static SessionFacts facts(Identity identity) {
        return new SessionFacts(identity, "sid-1", "refresh-1", "id-token", NOW.plusSeconds(60), NOW.plusSeconds(3600));
    }

    /** Writes the facts, passes every attribute through the Redis JSON serializer, reads them back. */
    private SessionFacts stored(SessionFacts facts) {
        MapSession written = new MapSession();
        facts.writeTo(written);
        return SessionFacts.readFrom(throughJson(written));
    }

    private MapSession throughJson(MapSession session) {
        MapSession read = new MapSession(session.getId());
        session.getAttributeNames().forEach(name -> read.setAttribute(name,
                json.deserialize(json.serialize(session.getAttribute(name)))));
        return read;
    }

    @Test
    void storedWhenEmailNotVerifiedWithoutClaimThenReadBackNotVerified() {
        Identity identity = new Identity("u-1", "pat@corp.example", List.of("finance"),
                Map.of("dept", List.of("eng", "7")), NOW.minusSeconds(30), false);
        assertThat(stored(facts(identity)).identity()).isEqualTo(identity);
    }

    @Test
    void storedWhenEmailVerifiedThenReadBackTheSameIdentityAndTokens() {
        Identity identity = new Identity("u-1", "pat@corp.example", List.of(), Map.of(), null, true);
        assertThat(stored(facts(identity))).isEqualTo(facts(identity));
    }

    private SessionFacts storedBeforeIssue17(Map<String, List<String>> claims) {
        MapSession written = new MapSession();
        facts(new Identity("u-1", "pat@corp.example", List.of("finance"), claims, NOW, true)).writeTo(written);
        written.removeAttribute("gatehouse.emailVerified");
        return SessionFacts.readFrom(throughJson(written));
    }

    @Test
    void readWhenStoredBeforeIssue17AndIdTokenSaidEmailNotVerifiedThenNotVerified() {
        assertThat(storedBeforeIssue17(Map.of("email_verified", List.of("false"))).identity().emailVerified())
                .isFalse();
    }

    @Test
    void readWhenStoredBeforeIssue17AndIdTokenSaidEmailVerifiedThenVerified() {
        assertThat(storedBeforeIssue17(Map.of("email_verified", List.of("true"))).identity().emailVerified())
                .isTrue();
    }

    @Test
    void readWhenStoredBeforeIssue17AndIdTokenHadNoEmailVerifiedThenVerified() {
        assertThat(storedBeforeIssue17(Map.of()).identity().verifiedEmail()).isEqualTo("pat@corp.example");
    }

    @Test
    void refreshedWhenNewTokenHasNoEmailThenKeepsEmailSubAndLoginTime() {
        Identity before = new Identity("u-1", "pat@corp.example", List.of("finance"), Map.of(), NOW, false);
        Identity fresh = new Identity("u-1", null, List.of("staff"), Map.of("dept", List.of("hr")), null, true);
        Identity after = facts(before).refreshed(fresh, null, null, NOW.plusSeconds(600)).identity();
        assertThat(after).isEqualTo(new Identity("u-1", "pat@corp.example", List.of("staff"),
                Map.of("dept", List.of("hr")), NOW, false));
    }
}
