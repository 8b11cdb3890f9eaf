package io.gatehouse.gateway.assertion;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.exchange.Addresses;
import io.gatehouse.policy.Decision;
import io.gatehouse.policy.model.Route;
import java.util.Objects;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
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
public final class AssertStep implements RequestStep {

    public static final String HEADER = "X-Gatehouse-Assertion";

    private final AssertionSigner signer;

    public AssertStep(AssertionSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next) {
        Decision decision = context.decision();
        Route route = context.route();
        if (decision == null || route == null || !decision.letThrough()) {
            return next.proceed(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        Assertion assertion = signer.sign(route.audience(), context.identity(), context.device(),
                request.getMethod().name(), Addresses.canonicalHost(request), request.getURI().getRawPath());
        // FORWARD writes it on the upstream request's headers (forward.ForwardedHeaders), in the one copy it makes.
        context.asserted(assertion.jti(), assertion.jwt());
        return next.proceed(exchange);
    }
}
