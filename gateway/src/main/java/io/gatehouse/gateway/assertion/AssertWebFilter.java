package io.gatehouse.gateway.assertion;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStage;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.model.Route;
import java.util.Locale;
import java.util.Objects;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Stage 5, ASSERT: signs a fresh {@code X-Gatehouse-Assertion} for every request DECIDE let through, bound to this
 * request's method, host (the Host header as the client sent it, lower-cased, without a default port:
 * {@link #canonicalHost}) and path (as forwarded, without the query), and records it in the RequestContext; FORWARD
 * sets it on the upstream request. Any inbound header of that
 * name was removed by HYGIENE already, and FORWARD removes it again before setting ours, because a forged
 * assertion reaching an upstream would name any user. Requests without a let-through decision
 * (reserved paths) pass untouched, and FORWARD refuses to forward them.
 */
@Component
public final class AssertWebFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Gatehouse-Assertion";

    private final AssertionSigner signer;

    public AssertWebFilter(AssertionSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public int getOrder() {
        return RequestStage.ASSERT.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.find(exchange);
        Decision decision = context == null ? null : context.decision();
        Route route = context == null ? null : context.route();
        if (decision == null || route == null || !decision.letThrough()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        Assertion assertion = signer.sign(route.audience(), context.identity(), context.device(),
                request.getMethod().name(), canonicalHost(request), request.getURI().getRawPath());
        // FORWARD writes it on the upstream request's headers (forward.ForwardedHeaders), in the one copy it makes.
        context.asserted(assertion.jti(), assertion.jwt());
        return chain.filter(exchange);
    }

    /**
     * The assertion's {@code http.host}: the Host the client addressed in canonical form, lower-cased and without
     * the scheme's default port ({@code App.Example:443} over HTTPS is {@code app.example}; {@code :80} over HTTP),
     * so that a verifier configured with the public host ({@code public-host: app.example}) agrees however the
     * client spelled it. Any other port stays ({@code app.example:8443}).
     */
    public static String canonicalHost(ServerHttpRequest request) {
        String host = host(request);
        String defaultPort = "https".equalsIgnoreCase(request.getURI().getScheme()) ? ":443" : ":80";
        // A bracketed IPv6 literal ends in ']' unless a port follows, so "[::1]:443" is "[::1]" and "[::443]" stays.
        return host.endsWith(defaultPort) && host.length() > defaultPort.length()
                ? host.substring(0, host.length() - defaultPort.length()) : host;
    }

    /** The Host the client addressed (with its port, if it named one), lower-cased: what X-Forwarded-Host carries. */
    public static String host(ServerHttpRequest request) {
        String host = request.getHeaders().getFirst("Host");
        if (host == null || host.isEmpty()) {
            host = request.getURI().getRawAuthority();
        }
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }
}
