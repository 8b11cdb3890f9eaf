package io.gatehouse.gateway.decisionlog;

import io.gatehouse.gateway.exchange.TrustedProxies;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Starts one OpenTelemetry server span per request and ends it with the outcome. It replaces Spring's generic HTTP
 * server observation, which cost about a third of the gateway's CPU per request (docs/performance.md): an unsampled
 * request here costs two random ids and one object, and only a sampled one records attributes.
 *
 * <p>A {@code traceparent} from the client continues its trace only when the peer is a trusted front proxy
 * ({@code gatehouse.trusted-proxies}), like every other forwarded fact; anyone else starts a new trace, so a client
 * cannot make its requests look like part of another trace in the log.
 */
public final class RequestTracer {

    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.getFirst(key);
        }
    };

    private final Tracer tracer;
    private final TrustedProxies trustedProxies;

    public RequestTracer(Tracer tracer, TrustedProxies trustedProxies) {
        this.tracer = Objects.requireNonNull(tracer, "tracer");
        this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /** The started span of this request; end it with {@link #finish}. */
    public Span start(ServerHttpRequest request) {
        Context parent = trustedProxies.trusts(request.getRemoteAddress())
                ? W3CTraceContextPropagator.getInstance().extract(Context.root(), request.getHeaders(), HEADERS)
                : Context.root();
        String method = request.getMethod().name();
        Span span = tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER).startSpan();
        if (span.isRecording()) {
            span.setAttribute("http.request.method", method);
            span.setAttribute("server.address", String.valueOf(request.getURI().getHost()));
            span.setAttribute("url.path", String.valueOf(request.getURI().getRawPath()));
        }
        return span;
    }

    /** Ends the span with the response status and, once DECIDE has run, the route and decision. */
    public static void finish(Span span, String method, int status, @Nullable String route, @Nullable String decision) {
        if (span.isRecording()) {
            if (route != null) {
                span.updateName(method + " " + route);
                span.setAttribute("gatehouse.route", route);
            }
            if (decision != null) {
                span.setAttribute("gatehouse.decision", decision);
            }
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }
}
