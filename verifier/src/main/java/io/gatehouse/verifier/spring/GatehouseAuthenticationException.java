package io.gatehouse.verifier.spring;

import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.UnauthorizedResponse;
import java.util.Objects;
import org.springframework.security.core.AuthenticationException;

/** A presented assertion that failed verification, carried through Spring Security to the entry point. */
public final class GatehouseAuthenticationException extends AuthenticationException {
    private static final long serialVersionUID = 1L;

    private final transient UnauthorizedResponse answer;

    public GatehouseAuthenticationException(AssertionRejectedException rejection) {
        super(Objects.requireNonNull(rejection, "rejection").getMessage(), rejection);
        this.answer = UnauthorizedResponse.of(rejection);
    }

    /**
     * The 401 to send: the rejection's answer; for any other {@link AuthenticationException}, "anonymous" when an
     * assertion was sent (it verified, but nobody signed in) and "missing" when none was.
     */
    public static UnauthorizedResponse answerFor(AuthenticationException e, boolean assertionPresent) {
        if (e instanceof GatehouseAuthenticationException g) {
            return g.answer;
        }
        return assertionPresent ? UnauthorizedResponse.anonymous() : UnauthorizedResponse.missing();
    }
}
