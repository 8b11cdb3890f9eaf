package io.gatehouse.gateway.forward;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.model.Route;
import java.net.URI;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Chooses the upstream URL of each request: the decided route's {@code to} (scheme, host, port, and its path as a
 * prefix if it has one) followed by the request's raw path and raw query, byte for byte as the client sent them
 * ("the path is forwarded unchanged"). Runs right after Spring Cloud Gateway computed its own URL from the
 * placeholder route and overrides it. A request that reaches this point without a let-through decision is a bug in
 * the stage order: it throws, and the error handler answers 500 — it is never forwarded.
 */
final class UpstreamUrlFilter implements GlobalFilter, Ordered {

    @Override
    public int getOrder() {
        return RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        RequestContext context = RequestContext.of(exchange);
        Decision decision = context.decision();
        Route route = context.route();
        if (decision == null || route == null || !decision.letThrough()) {
            return Mono.error(new IllegalStateException("refusing to forward request " + context.requestId()
                    + ": no decision letting it through (stage order bug)"));
        }
        URI incoming = exchange.getRequest().getURI();
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, upstreamUrl(route.to(), incoming));
        return chain.filter(exchange);
    }

    static URI upstreamUrl(URI to, URI incoming) {
        String prefix = to.getRawPath() == null ? "" : to.getRawPath();
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        String path = incoming.getRawPath() == null || incoming.getRawPath().isEmpty() ? "/" : incoming.getRawPath();
        String query = incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery();
        return URI.create(to.getScheme() + "://" + to.getRawAuthority() + prefix + path + query);
    }
}
