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

    private static final int MAX_DESCRIPTION = 200;

    public BearerAuthenticationException(String description) {
        super(bounded(description), null, false, false);
        this.reason = new Reason("bearer-invalid-token", bounded(description));
    }

    /** Claims quoted in a description come from the caller's token: keep what is echoed and logged short. */
    private static String bounded(String description) {
        Objects.requireNonNull(description, "description");
        return description.length() <= MAX_DESCRIPTION ? description
                : description.substring(0, MAX_DESCRIPTION) + "...";
    }

    public Reason reason() {
        return reason;
    }
}
