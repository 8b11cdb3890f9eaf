package io.gatehouse.gateway.decision;

import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Browser login as DECIDE sees it (docs/design.md, "Identity"): DECIDE chooses when a refused top-level navigation is
 * sent to the IdP instead of answered 401, and for step-up; how the login starts (state, nonce, PKCE, the redirect) is
 * the {@code login} package's, which implements this. Absent when browser login is not configured.
 */
public interface LoginStart {

    /** Answers the exchange with the start of a login (a redirect to the IdP, or a page saying why it cannot start). */
    Mono<Void> start(ServerWebExchange exchange, boolean stepUp);

    /**
     * The start of a login for a request another proxy describes (docs/design-next.md §1): {@code origin} is
     * {@code scheme://host[:port]} the browser is on (the callback is {@code /.gatehouse/callback} there),
     * {@code returnPath} the path and query to come back to, {@code loginSessionId} the browser's
     * {@code __Host-gatehouse-login} cookie or null. Fails with {@link LoginUnavailableException} when the IdP or the
     * session store cannot be reached.
     */
    Mono<LoginRedirect> begin(String origin, String returnPath, @Nullable String loginSessionId, boolean stepUp);
}
