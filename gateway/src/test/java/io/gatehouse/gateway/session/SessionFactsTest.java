package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A browser session's identity takes the ID token's {@code email_verified} (kept among the session's claims by
 * {@code OidcClient.otherClaims}): false means no verified email; absent counts as verified (docs/policy.md).
 */
class SessionFactsTest {

    private static SessionFacts facts(Map<String, List<String>> claims) {
        Instant now = Instant.parse("2026-12-06T12:00:00Z");
        return new SessionFacts("u-1", "pat@corp.example", List.of("finance"), claims, now, "sid-1", null, "id-token",
                now.plusSeconds(60), now.plusSeconds(3600));
    }

    @Test
    void identityWhenIdTokenSaidEmailNotVerifiedThenNotVerified() {
        assertThat(facts(Map.of("email_verified", List.of("false"))).identity().emailVerified()).isFalse();
    }

    @Test
    void identityWhenIdTokenSaidEmailVerifiedThenVerified() {
        assertThat(facts(Map.of("email_verified", List.of("true"))).identity().emailVerified()).isTrue();
    }

    @Test
    void identityWhenIdTokenHadNoEmailVerifiedThenVerified() {
        assertThat(facts(Map.of()).identity().verifiedEmail()).isEqualTo("pat@corp.example");
    }
}
