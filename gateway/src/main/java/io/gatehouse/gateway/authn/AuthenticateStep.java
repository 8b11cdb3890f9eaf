package io.gatehouse.gateway.authn;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.gateway.session.SessionAuthenticator;
import io.gatehouse.gateway.session.SessionStoreUnavailableException;
import io.gatehouse.policy.Identity;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import io.gatehouse.gateway.problem.OutageWarnings;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Stage AUTHENTICATE (docs/design.md, "Identity" and "Failure behaviour"). A verified bearer token records
 * {@code BEARER} and its identity; no credential leaves the context {@code ANONYMOUS} and goes on (the DECIDE stage
 * answers 401 when the policy needs a login); a bad credential is answered here with 401,
 * {@code WWW-Authenticate: Bearer error="invalid_token", error_description="..."} and problem+json, and is recorded
 * as the rejection so the decision log shows it. A bad credential never falls back to anonymous.
 * Without an {@code Authorization} header, the {@code __Host-gatehouse} session cookie (when browser login is
 * configured) records {@code SESSION} with the session id's hash; an unknown or ended session counts as no credential.
 */
public final class AuthenticateStep implements RequestStep {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticateStep.class);
    /** An issuer or session-store outage answers every request 503: a few WARN lines a minute, the rest counted. */
    private static final OutageWarnings WARNINGS = new OutageWarnings(OutageWarnings.DEFAULT_PER_WINDOW,
            OutageWarnings.DEFAULT_WINDOW, System::nanoTime, LOG::warn, Metrics.globalRegistry);

    private final BearerAuthenticator bearer;
    private final @Nullable SessionAuthenticator sessions;

    public AuthenticateStep(BearerAuthenticator bearer) {
        this(bearer, null);
    }

    public AuthenticateStep(BearerAuthenticator bearer, @Nullable SessionAuthenticator sessions) {
        this.bearer = Objects.requireNonNull(bearer, "bearer");
        this.sessions = sessions;
    }

    /** As a lone filter (unit tests): this step, then {@code chain}. */
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return apply(exchange, RequestContext.of(exchange), chain::filter);
    }

    @Override
    public Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next) {
        // A request that names a bearer token is an API call: its cookie is not consulted, so a bad token never
        // falls back to the browser's session.
        if (sessions != null && !exchange.getRequest().getHeaders().containsKey(HttpHeaders.AUTHORIZATION)) {
            return sessions.authenticate(exchange)
                    .doOnNext(s -> context.authenticated(RequestContext.AuthKind.SESSION, s.identity(), s.sessionIdHash()))
                    .onErrorResume(SessionStoreUnavailableException.class, e -> storeUnavailable(exchange, context, e)
                            .then(Mono.empty()))
                    .then(Mono.defer(() -> exchange.getResponse().isCommitted() ? Mono.<Void>empty()
                            : next.proceed(exchange)));
        }
        Mono<Identity> bearerIdentity = bearer.authenticate(exchange);
        if (RequestStep.ready(bearerIdentity)) {
            // No credential, a cached token, or a refusal known at once: no Reactor operators on the way.
            Identity identity;
            try {
                identity = RequestStep.now(bearerIdentity);
            } catch (BearerAuthenticationException e) {
                return unauthorized(exchange, context, e);
            } catch (IssuerUnavailableException e) {
                return issuerUnavailable(exchange, context, e);
            }
            if (identity != null) {
                context.authenticated(RequestContext.AuthKind.BEARER, identity, null);
            }
            return next.proceed(exchange);
        }
        return bearerIdentity
                .doOnNext(identity -> context.authenticated(RequestContext.AuthKind.BEARER, identity, null))
                .then(Mono.defer(() -> next.proceed(exchange)))
                .onErrorResume(BearerAuthenticationException.class, e -> unauthorized(exchange, context, e))
                .onErrorResume(IssuerUnavailableException.class, e -> issuerUnavailable(exchange, context, e));
    }

    private static Mono<Void> issuerUnavailable(ServerWebExchange exchange, RequestContext context,
                                                IssuerUnavailableException e) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(e);
        }
        WARNINGS.warn(e.reason().code(), "request " + context.requestId() + ": " + e.getMessage()
                + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        context.rejected(e.reason());
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return Problems.writeJson(exchange,
                Problems.Problem.of(HttpStatus.SERVICE_UNAVAILABLE, e.reason(), context.requestId(), null));
    }

    /**
     * The session store could not be asked (issue 18, item 1): 503 with {@code Retry-After}, problem+json or an HTML
     * page for a browser, never a guess about the session.
     */
    private static Mono<Void> storeUnavailable(ServerWebExchange exchange, RequestContext context,
                                               SessionStoreUnavailableException e) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(e);
        }
        WARNINGS.warn(SessionStoreUnavailableException.REASON.code(), "request " + context.requestId() + ": "
                + e.getMessage());
        context.rejected(SessionStoreUnavailableException.REASON);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "2");
        return Problems.write(exchange, new Problems.Problem(HttpStatus.SERVICE_UNAVAILABLE,
                SessionStoreUnavailableException.REASON.code(), "Session store unavailable",
                "Your session could not be looked up just now; try again shortly.",
                List.of(SessionStoreUnavailableException.REASON.text()), context.requestId(), context.routeId()));
    }

    private static Mono<Void> unauthorized(ServerWebExchange exchange, RequestContext context,
                                           BearerAuthenticationException e) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(e);
        }
        context.rejected(e.reason());
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer error=\"invalid_token\", error_description=\"" + quotable(e.reason().text()) + "\"");
        return Problems.writeJson(exchange,
                Problems.Problem.of(HttpStatus.UNAUTHORIZED, e.reason(), context.requestId(), null));
    }

    /** RFC 6750 3: error_description is %x20-21 / %x23-5B / %x5D-7E; anything else becomes a space or is dropped. */
    public static String quotable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') {
                out.append(c);
            } else if (c == '"') {
                out.append('\'');
            } else {
                out.append(' ');
            }
        }
        return out.toString();
    }
}
