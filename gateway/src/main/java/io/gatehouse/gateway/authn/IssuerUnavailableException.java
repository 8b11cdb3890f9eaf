package io.gatehouse.gateway.authn;

import io.gatehouse.policy.Reason;
import java.util.Objects;

/**
 * A bearer token was presented, but its issuer's discovery document or keys could not be fetched, so the token can
 * be neither accepted nor blamed. The stage answers 503 with {@code Retry-After}: fail closed, and say it is the
 * IdP, not the caller (a 401 would tell a good client to throw its token away; a 502 would blame the upstream).
 */
public final class IssuerUnavailableException extends RuntimeException {

    private final transient Reason reason;

    public IssuerUnavailableException(String issuer, Throwable cause) {
        super("keys of issuer " + issuer + " could not be fetched", Objects.requireNonNull(cause, "cause"));
        this.reason = new Reason("bearer-issuer-unavailable",
                "the token's issuer " + issuer + " could not be reached to verify it; try again shortly");
    }

    public Reason reason() {
        return reason;
    }
}
