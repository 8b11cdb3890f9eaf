package io.gatehouse.verifier.servlet;

import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.UnauthorizedResponse;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Lets a request through only with a valid {@code X-Gatehouse-Assertion}; the verified {@link
 * GatehouseIdentity} is then in the request attribute {@link #IDENTITY_ATTRIBUTE} (see {@link
 * #identity}). Anything else gets 401 with a plain-text reason. Map it on every path the gateway
 * fronts: {@code new GatehouseAssertionFilter(verifier)}.
 */
public class GatehouseAssertionFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** The request attribute holding the {@link GatehouseIdentity}. */
    public static final String IDENTITY_ATTRIBUTE = GatehouseIdentity.class.getName();

    private final transient GatehouseVerifier verifier;

    public GatehouseAssertionFilter(GatehouseVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** The identity the filter verified for this request, or null when the filter did not run. */
    public static @Nullable GatehouseIdentity identity(HttpServletRequest request) {
        return (GatehouseIdentity) request.getAttribute(IDENTITY_ATTRIBUTE);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        GatehouseIdentity identity;
        try {
            identity = verifier.verify(request.getHeader(GatehouseVerifier.HEADER), request.getMethod(),
                    ServletRequests.host(request), request.getRequestURI());
        } catch (AssertionRejectedException e) {
            ServletRequests.writeUnauthorized(response, UnauthorizedResponse.of(e));
            return;
        }
        request.setAttribute(IDENTITY_ATTRIBUTE, identity);
        chain.doFilter(request, response);
    }
}
