package io.gatehouse.gateway.hygiene;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Stage HYGIENE (DESIGN.md, "Failure behaviour": ambiguous or malformed request → 400 before authentication).
 * Steps, in order:
 * <ol>
 *   <li>header rules ({@link HeaderRules}): Host, framing, control characters;</li>
 *   <li>the path ({@link PathCanonicaliser}) and the query;</li>
 *   <li>on a finding: record it in the {@link RequestContext}, count it, answer 400 problem+json quoting what was
 *       found, with {@code Connection: close}; the chain (and so the upstream) is never called;</li>
 *   <li>otherwise record the canonical path and strip spoofable headers ({@link InboundHeaders}) before any later
 *       stage can read them.</li>
 * </ol>
 */
public final class HygieneWebFilter implements WebFilter, Ordered {

    private final TrustedProxies trustedProxies;
    private final MeterRegistry meters;

    public HygieneWebFilter(TrustedProxies trustedProxies, MeterRegistry meters) {
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    @Override
    public int getOrder() {
        return RequestStage.HYGIENE.order();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.of(exchange);
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        Optional<Rejection> found = HeaderRules.check(request.getHeaders(), uri);
        String canonical = null;
        if (found.isEmpty()) {
            PathVerdict verdict = PathCanonicaliser.canonicalise(nullToEmpty(uri.getRawPath()));
            if (verdict instanceof PathVerdict.Rejected rejected) {
                found = Optional.of(rejected.rejection());
            } else {
                canonical = ((PathVerdict.Accepted) verdict).path();
                if (uri.getRawQuery() != null) {
                    found = PathCanonicaliser.checkQuery(uri.getRawQuery());
                }
            }
        }
        if (found.isPresent()) {
            return reject(exchange, context, found.get());
        }
        context.canonicalPath(Objects.requireNonNull(canonical, "canonical"));
        // Strip before AUTHENTICATE and DEVICE read anything, or a client could name any user or device.
        boolean trusted = trustedProxies.trusts(request.getRemoteAddress());
        ServerHttpRequest stripped = request.mutate()
                .headers(headers -> InboundHeaders.strip(headers, trusted))
                .build();
        return chain.filter(exchange.mutate().request(stripped).build());
    }

    private Mono<Void> reject(ServerWebExchange exchange, RequestContext context, Rejection rejection) {
        context.rejected(rejection.reason());
        Counter.builder("gatehouse_hygiene_rejections")
                .description("requests rejected by the HYGIENE stage, by rejected pattern")
                .tag("pattern", rejection.pattern().code())
                .register(meters)
                .increment();
        // The connection may carry a smuggled second request; do not read another one from it.
        exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
        return ProblemResponse.write(exchange, HttpStatus.BAD_REQUEST, rejection.reason().code(),
                rejection.message(), context.requestId());
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
