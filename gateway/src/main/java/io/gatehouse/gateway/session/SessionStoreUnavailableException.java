package io.gatehouse.gateway.session;

import io.gatehouse.gateway.Failures;
import io.gatehouse.policy.Reason;
import io.lettuce.core.RedisException;
import java.util.Objects;
import org.springframework.dao.DataAccessException;

/**
 * A request carried a session cookie, but the session store (Redis) could not be asked about it: disconnected
 * (commands are rejected at once) or no answer within {@code spring.data.redis.timeout}. The session is neither
 * accepted nor ended; the AUTHENTICATE stage answers 503 with {@code Retry-After}.
 */
public final class SessionStoreUnavailableException extends RuntimeException {

    /** The reason the decision log and the answer show. */
    public static final Reason REASON = new Reason("session-store-unavailable",
            "the session store could not be reached to look up your session; try again shortly");

    /**
     * Whether {@code error} is the store failing rather than a bug: Spring Data's {@link DataAccessException}
     * (connection failure, command timeout), Lettuce's {@link RedisException} (disconnected, queue full), failed I/O
     * or a timeout ({@link Failures#io}); never this exception itself.
     */
    public static boolean isStoreFailure(Throwable error) {
        return !(error instanceof SessionStoreUnavailableException)
                && (Failures.causedBy(error, DataAccessException.class, RedisException.class) || Failures.io(error));
    }

    public SessionStoreUnavailableException(Throwable cause) {
        super("the session store could not be reached: " + cause, Objects.requireNonNull(cause, "cause"));
    }
}
