package io.gatehouse.verifier.spring.servlet;

import io.gatehouse.verifier.GatehouseVerifier;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Authenticates every request by its {@code X-Gatehouse-Assertion}. One line in a {@code
 * SecurityFilterChain}:
 * <pre>{@code http.with(GatehouseSecurityConfigurer.gatehouse(), withDefaults());}</pre>
 * The {@link GatehouseVerifier} is the application's bean (the Spring Boot auto-configuration
 * makes one from {@code gatehouse.verifier.*}) unless one is given with {@link #verifier}. It
 * adds the assertion filter, a 401 entry point (unless the app set its own), and stateless
 * sessions: the assertion is checked on every request, never remembered.
 */
public final class GatehouseSecurityConfigurer extends AbstractHttpConfigurer<GatehouseSecurityConfigurer, HttpSecurity> {
    private @Nullable GatehouseVerifier verifier;

    /** A configurer that uses the application's {@link GatehouseVerifier} bean. */
    public static GatehouseSecurityConfigurer gatehouse() {
        return new GatehouseSecurityConfigurer();
    }

    /** Uses this verifier instead of the application's bean. */
    public GatehouseSecurityConfigurer verifier(GatehouseVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        return this;
    }

    /**
     * Sets stateless sessions as soon as the configurer is added: session management reads its
     * policy in its own {@code init}, which runs before this configurer's.
     */
    @Override
    public void setBuilder(HttpSecurity http) {
        super.setBuilder(http);
        try {
            http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make sessions stateless", e);
        }
    }

    @Override
    public void init(HttpSecurity http) {
        ExceptionHandlingConfigurer<HttpSecurity> exceptions = http.getConfigurer(ExceptionHandlingConfigurer.class);
        if (exceptions != null) {
            exceptions.defaultAuthenticationEntryPointFor(new GatehouseAuthenticationEntryPoint(), AnyRequestMatcher.INSTANCE);
        }
        // No saved request: a 401 must not open a session (there is no login to come back from).
        http.setSharedObject(RequestCache.class, new NullRequestCache());
    }

    @Override
    public void configure(HttpSecurity http) {
        GatehouseVerifier v = verifier != null ? verifier : verifierBean(http);
        http.addFilterAt(new GatehouseAuthenticationFilter(v, new GatehouseAuthenticationEntryPoint()),
                AbstractPreAuthenticatedProcessingFilter.class);
    }

    private static GatehouseVerifier verifierBean(HttpSecurity http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        GatehouseVerifier bean = context == null ? null : context.getBeanProvider(GatehouseVerifier.class).getIfAvailable();
        if (bean == null) {
            throw new IllegalStateException("no GatehouseVerifier bean: set gatehouse.verifier.issuer and "
                    + "gatehouse.verifier.audience, declare a GatehouseVerifier bean, or pass one with gatehouse().verifier(...)");
        }
        return bean;
    }
}
