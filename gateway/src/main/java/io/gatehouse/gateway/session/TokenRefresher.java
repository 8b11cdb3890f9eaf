package io.gatehouse.gateway.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The refresh grant at the IdP, as the session needs it. Emits the new facts; errors with {@link Rejected} when the
 * IdP answered and refused (user disabled, IdP session ended: the session must end) and with any other exception
 * when the IdP could not be reached (the session continues until it expires).
 */
public interface TokenRefresher {

    Mono<Refreshed> refresh(String refreshToken);

    /** What a refresh brought back. */
    record Refreshed(List<String> groups, Map<String, List<String>> claims, @Nullable String email,
                     @Nullable String refreshToken, @Nullable String idToken, Instant accessExpiresAt) {
    }

    /** The IdP refused the refresh token. */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
