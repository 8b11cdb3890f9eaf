package io.gatehouse.gateway.session;

import io.gatehouse.policy.Reason;
import java.util.Objects;

/**
 * A request carried a session cookie, but the session store (Redis) could not be asked about it: disconnected
 * (commands are rejected at once) or no answer within {@code spring.data.redis.timeout}. The session is neither
 * accepted nor ended; the AUTHENTICATE stage answers 503 with {@code Retry-After}.
 */
public final class SessionStoreUnavailableException extends RuntimeException {

    /** The reason the decision log and the answer show. */
    public static final Reason REASON = new Reason("session-store-unavailable",
            "the session store could not be reached to look up your session; try again shortly");

    public SessionStoreUnavailableException(Throwable cause) {
        super("the session store could not be reached: " + cause, Objects.requireNonNull(cause, "cause"));
    }
}
