package io.gatehouse.verifier.spring.servlet;

import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.servlet.ServletRequests;
import io.gatehouse.verifier.spring.GatehouseAuthenticationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** Answers 401 in plain text with the reason: the assertion's rejection, that none was sent, or that it was anonymous. */
public final class GatehouseAuthenticationEntryPoint implements AuthenticationEntryPoint {
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        ServletRequests.writeUnauthorized(response, GatehouseAuthenticationException.answerFor(e,
                request.getHeader(GatehouseVerifier.HEADER) != null));
    }
}
