package io.gatehouse.gateway.forward;

import io.gatehouse.gateway.RequestContext;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Removes the credential the gateway consumed before the request goes upstream: a bearer token that authenticated
 * the caller. The upstream learns who the caller is from the assertion; the token itself would let a backend (or
 * anyone who reads its logs) replay it against every other service that accepts it. An {@code Authorization}
 * header the gateway did not consume (e.g. Basic credentials on a public route) is the app's business and passes.
 */
final class ConsumedCredentials implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        if (RequestContext.of(exchange).authKind() != RequestContext.AuthKind.BEARER) {
            return input;
        }
        HttpHeaders out = new HttpHeaders();
        out.putAll(input);
        out.remove(HttpHeaders.AUTHORIZATION);
        return out;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
