package io.gatehouse.gateway.decision;

/**
 * A login cannot start now: the IdP's discovery document cannot be fetched or the session store failed. The answer
 * is a 503, never a loop; {@link LoginStart#begin} fails with it.
 */
public final class LoginUnavailableException extends RuntimeException {

    public LoginUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
