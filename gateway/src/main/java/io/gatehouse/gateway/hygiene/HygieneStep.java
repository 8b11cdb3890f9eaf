package io.gatehouse.gateway.hygiene;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.RequestStep;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.gatehouse.gateway.problem.Problems;
import io.gatehouse.gateway.tls.ConnectionTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Stage HYGIENE (docs/design.md, "Failure behaviour": ambiguous or malformed request → 400 before authentication).
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
public final class HygieneStep implements RequestStep {

    private final TrustedProxies trustedProxies;
    private final InboundHeaders inboundHeaders;
    private final MeterRegistry meters;

    public HygieneStep(TrustedProxies trustedProxies, InboundHeaders inboundHeaders, MeterRegistry meters) {
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
        this.inboundHeaders = Objects.requireNonNull(inboundHeaders, "inboundHeaders");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** As a lone filter (unit tests): this step, then {@code chain}. */
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return apply(exchange, RequestContext.of(exchange), chain::filter);
    }

    @Override
    public Mono<Void> apply(ServerWebExchange exchange, RequestContext context, Next next) {
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        Optional<URI> absolute = absoluteTarget(request);
        // Only a request a server read from a client: a mock request in a unit test has no Host unless it sets one.
        Optional<Rejection> found = netty(request) == null ? Optional.empty()
                : HeaderRules.missingHost(request.getHeaders());
        found = found.or(() -> HeaderRules.check(request.getHeaders(), absolute.orElse(uri)));
        @Nullable String canonical = null;
        if (found.isEmpty()) {
            RawTarget target = rawTarget(request, uri);
            Hygiene.Judged path = Hygiene.judgeTarget(target.path(), null);
            if (path.rejection() != null) {
                found = path.rejected();
            } else if (!target.path().equals(nullToEmpty(uri.getRawPath())) && !target.path().isEmpty()) {
                // Netty and Spring read the request line differently: nobody can say which path was meant.
                found = Optional.of(new Rejection(RejectedPattern.TARGET_MISMATCH, nullToEmpty(uri.getRawPath()),
                        "request target", target.path()));
            } else {
                // The path was judged once above; only the query is left (canonicalising twice would cost every
                // request a second pass over its path).
                canonical = path.canonicalPath();
                String query = target.query();
                if (query != null) {
                    found = PathCanonicaliser.checkQuery(query);
                }
            }
        }
        if (found.isPresent()) {
            return reject(exchange, context, found.get());
        }
        context.canonicalPath(Objects.requireNonNull(canonical, "canonical"));
        // Strip before AUTHENTICATE and DEVICE read anything, or a client could name any user or device.
        boolean trusted = trustedProxies.trusts(request.getRemoteAddress());
        if (!inboundHeaders.anyToStrip(request.getHeaders(), trusted)) {
            return next.proceed(exchange);
        }
        ServerHttpRequest stripped = ConnectionTls.mutate(request)
                .headers(headers -> inboundHeaders.strip(headers, trusted))
                .build();
        return next.proceed(exchange.mutate().request(stripped).build());
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
        return Problems.writeJson(exchange,
                Problems.Problem.of(HttpStatus.BAD_REQUEST, rejection.reason(), context.requestId(), null));
    }

    /**
     * The absolute-form request target ({@code GET https://host/path HTTP/1.1}) as sent, if it was one. Spring
     * resolves the exchange URI from the Host header and drops that authority, so it is read from Netty's request.
     */
    private static Optional<URI> absoluteTarget(ServerHttpRequest request) {
        HttpServerRequest netty = netty(request);
        if (netty == null) {
            return Optional.empty();
        }
        String target = netty.uri();
        int colon = target.indexOf("://");
        if (target.startsWith("/") || colon < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(target));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // Spring could not have built the exchange from it either
        }
    }

    /**
     * Path and query of the request target exactly as received (Netty's request line), so that what Spring's URI
     * parsing would drop or change (a fragment, raw non-ASCII bytes) is judged too; Spring's URI when not on Netty.
     */
    private record RawTarget(String path, @Nullable String query) {
    }

    private static RawTarget rawTarget(ServerHttpRequest request, URI uri) {
        HttpServerRequest netty = netty(request);
        if (netty == null) {
            return new RawTarget(nullToEmpty(uri.getRawPath()), uri.getRawQuery());
        }
        String target = netty.uri();
        int scheme = target.indexOf("://");
        if (!target.startsWith("/") && scheme > 0) {
            int slash = target.indexOf('/', scheme + 3);
            int question = target.indexOf('?', scheme + 3);
            int start = slash < 0 ? question : question < 0 ? slash : Math.min(slash, question);
            target = start < 0 ? "" : target.substring(start);
        }
        int question = target.indexOf('?');
        return question < 0 ? new RawTarget(target, null)
                : new RawTarget(target.substring(0, question), target.substring(question + 1));
    }

    /** Reactor Netty's request under Spring's, or null (another server, or a test's mock request). */
    private static @Nullable HttpServerRequest netty(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty ? netty
                    : null;
        } catch (IllegalArgumentException | IllegalStateException notNetty) {
            return null;
        }
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
