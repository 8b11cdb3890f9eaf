package io.gatehouse.gateway.session;

import io.gatehouse.gateway.tls.ConnectionTls;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Removes the gateway's own cookies from the {@code Cookie} header of a forwarded request (docs/design.md: "The gateway's
 * own session cookie never reaches an upstream"): a session id in an app's logs or in a compromised app would let
 * anyone act as the user at the gateway. Other cookies pass unchanged.
 */
public final class SessionCookieStripFilter implements GlobalFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        List<String> cookies = exchange.getRequest().getHeaders().get(HttpHeaders.COOKIE);
        if (cookies == null || cookies.isEmpty()) {
            return chain.filter(exchange);
        }
        String kept = cookies.stream()
                .flatMap(header -> java.util.Arrays.stream(header.split(";")))
                .map(String::trim)
                .filter(pair -> !pair.isEmpty() && !SessionCookies.isOurs(nameOf(pair)))
                .collect(Collectors.joining("; "));
        ServerHttpRequest request = ConnectionTls.mutate(exchange.getRequest()).headers(h -> {
            h.remove(HttpHeaders.COOKIE);
            if (!kept.isEmpty()) {
                h.set(HttpHeaders.COOKIE, kept);
            }
        }).build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    private static String nameOf(String pair) {
        int eq = pair.indexOf('=');
        return (eq < 0 ? pair : pair.substring(0, eq)).trim();
    }
}
