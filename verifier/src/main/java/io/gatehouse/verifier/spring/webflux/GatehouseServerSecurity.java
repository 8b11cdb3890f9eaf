package io.gatehouse.verifier.spring.webflux;

import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.UnauthorizedResponse;
import io.gatehouse.verifier.spring.GatehouseAuthentication;
import io.gatehouse.verifier.spring.GatehouseAuthenticationException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Authenticates every request of a WebFlux app by its {@code X-Gatehouse-Assertion}. One line in
 * a {@code SecurityWebFilterChain} bean:
 * <pre>{@code GatehouseServerSecurity.configure(http, verifier);}</pre>
 * No header: the request stays anonymous and the app's {@code authorizeExchange} rules decide
 * (401 from the entry point when authentication is needed). A rejected header: 401 with the
 * reason, whatever the rules. Stateless: nothing is stored in a session.
 */
public final class GatehouseServerSecurity {
    private GatehouseServerSecurity() {}

    public static ServerHttpSecurity configure(ServerHttpSecurity http, GatehouseVerifier verifier) {
        Objects.requireNonNull(http, "http");
        ServerAuthenticationEntryPoint entryPoint = entryPoint();
        AuthenticationWebFilter filter = new AuthenticationWebFilter(authenticationManager(verifier));
        filter.setServerAuthenticationConverter(converter());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return http.addFilterAt(filter, SecurityWebFiltersOrder.AUTHENTICATION)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint));
    }

    /** Verifies an {@link AssertionToken}; rejections become {@link GatehouseAuthenticationException}. */
    public static ReactiveAuthenticationManager authenticationManager(GatehouseVerifier verifier) {
        Objects.requireNonNull(verifier, "verifier");
        return authentication -> {
            AssertionToken t = (AssertionToken) authentication;
            // boundedElastic: a kid the cache does not know makes verify wait for a JWKS fetch
            return Mono.fromCallable(() -> GatehouseAuthentication.of(verifier.verify(t.token(), t.method(), t.host(), t.path())))
                    .subscribeOn(Schedulers.boundedElastic())
                    .cast(org.springframework.security.core.Authentication.class)
                    .onErrorMap(AssertionRejectedException.class, GatehouseAuthenticationException::new);
        };
    }

    /** Reads the header and the request line; empty when no assertion was sent. */
    public static ServerAuthenticationConverter converter() {
        return exchange -> {
            ServerHttpRequest request = exchange.getRequest();
            String token = request.getHeaders().getFirst(GatehouseVerifier.HEADER);
            if (token == null) {
                return Mono.empty();
            }
            String host = request.getHeaders().getFirst(HttpHeaders.HOST);
            if (host == null) {
                host = String.valueOf(request.getURI().getRawAuthority());
            }
            return Mono.just(new AssertionToken(token, request.getMethod().name(), host, request.getURI().getRawPath()));
        };
    }

    /** Answers 401 in plain text with the reason. */
    public static ServerAuthenticationEntryPoint entryPoint() {
        return (exchange, e) -> {
            UnauthorizedResponse answer = GatehouseAuthenticationException.answerFor(e,
                    exchange.getRequest().getHeaders().containsKey(GatehouseVerifier.HEADER));
            ServerHttpResponse response = exchange.getResponse();
            response.setStatusCode(HttpStatus.UNAUTHORIZED);
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, answer.wwwAuthenticate());
            response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().set(HttpHeaders.CONTENT_TYPE, UnauthorizedResponse.CONTENT_TYPE);
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        };
    }
}
