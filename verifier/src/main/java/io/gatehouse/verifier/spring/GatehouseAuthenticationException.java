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

    /** The 401 to send; for any other {@link AuthenticationException} send {@link UnauthorizedResponse#missing()}. */
    public static UnauthorizedResponse answerFor(AuthenticationException e) {
        return e instanceof GatehouseAuthenticationException g ? g.answer : UnauthorizedResponse.missing();
    }
}
