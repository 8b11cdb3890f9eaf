package io.gatehouse.gateway.session;

import io.gatehouse.policy.Identity;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The refresh grant at the IdP, as the session needs it. Emits the new facts; errors with {@link Rejected} when the
 * IdP answered and refused (user disabled, IdP session ended: the session must end) and with {@link Unreachable}
 * when the IdP could not be reached (the session continues until it expires); any other error is a bug.
 */
public interface TokenRefresher {

    Mono<Refreshed> refresh(String refreshToken);

    /**
     * What a refresh brought back: the identity the new ID token (or, without one, the new access token) names, by
     * the same {@code ClaimsMapper} as at login; the session keeps its sub, login time and, when the new token has
     * no email, its email.
     */
    record Refreshed(Identity identity, @Nullable String refreshToken, @Nullable String idToken, Instant accessExpiresAt) {
    }

    /** The IdP could not be asked, or its answer could not be used (failed I/O, a bad answer): not a bug. */
    final class Unreachable extends RuntimeException {
        public Unreachable(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    /** The IdP refused the refresh token. */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }
}
