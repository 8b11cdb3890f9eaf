package io.gatehouse.verifier.spring.servlet;

import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.servlet.ServletRequests;
import io.gatehouse.verifier.spring.GatehouseAuthentication;
import io.gatehouse.verifier.spring.GatehouseAuthenticationException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns the assertion header into a {@link GatehouseAuthentication}. No header: the request goes
 * on unauthenticated and the app's rules decide (usually a 401 from the entry point). A header
 * that fails verification: 401 at once, so a forged or replayed assertion never reaches the app.
 */
public final class GatehouseAuthenticationFilter extends OncePerRequestFilter {
    private final GatehouseVerifier verifier;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    private final SecurityContextRepository repository = new RequestAttributeSecurityContextRepository();

    public GatehouseAuthenticationFilter(GatehouseVerifier verifier, AuthenticationEntryPoint entryPoint) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.entryPoint = Objects.requireNonNull(entryPoint, "entryPoint");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(GatehouseVerifier.HEADER);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        GatehouseIdentity identity;
        try {
            identity = verifier.verify(token, request.getMethod(), ServletRequests.host(request), request.getRequestURI());
        } catch (AssertionRejectedException e) {
            contexts.clearContext();
            entryPoint.commence(request, response, new GatehouseAuthenticationException(e));
            return;
        }
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(GatehouseAuthentication.of(identity));
        contexts.setContext(context);
        // Saved for this request only: Spring's session management then sees the context as stored and opens no session.
        repository.saveContext(context, request, response);
        chain.doFilter(request, response);
    }
}
