package io.gatehouse.gateway.authn;

import io.gatehouse.policy.Reason;
import java.util.Objects;

/**
 * A bearer credential was presented and is bad (malformed, wrong issuer, bad signature, expired, wrong audience...).
 * The {@link #reason()} text goes into {@code WWW-Authenticate error_description} and the problem body; it names what
 * failed and never contains the token.
 */
public final class BearerAuthenticationException extends RuntimeException {

    private final transient Reason reason;

    public BearerAuthenticationException(String description) {
        super(Objects.requireNonNull(description, "description"), null, false, false);
        this.reason = new Reason("bearer-invalid-token", description);
    }

    public Reason reason() {
        return reason;
    }
}
