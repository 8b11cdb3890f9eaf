package io.gatehouse.gateway.decision;

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
}
