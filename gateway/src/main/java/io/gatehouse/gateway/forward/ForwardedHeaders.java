package io.gatehouse.gateway.forward;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.assertion.AssertStep;
import io.gatehouse.gateway.exchange.Addresses;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.List;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Sets {@code X-Forwarded-Host}, {@code X-Forwarded-Proto} and {@code X-Forwarded-For} on the upstream request, in
 * place of Spring Cloud Gateway's filters (switched off in application.yml). Host and Proto are replaced with what
 * this gateway saw. For: the peer address is appended to what arrived, and HYGIENE has already removed what arrived
 * unless the peer is a trusted front proxy, so the upstream can rely on the chain. The upstream's own Host header is
 * set from its URL by the HTTP client. {@code traceparent} (W3C Trace Context) names the request's span in the
 * gateway's trace. {@code X-Gatehouse-Assertion} carries ASSERT's signed assertion. The bearer token the gateway
 * consumed is removed ({@link ConsumedCredentials}), and so is the forwarded-certificate header a trusted front proxy
 * sent ({@code gatehouse.device.forwarded-certificate-header}): DEVICE read it, and the upstream learns the device
 * from the assertion only (DEVICE does not consume it when the connection presented its own certificate). All in one
 * copy of the headers.
 */
final class ForwardedHeaders implements HttpHeadersFilter, Ordered {

    private static final String TRACEPARENT = "traceparent";
    private static final String TRACESTATE = "tracestate";

    private final String certificateHeader;

    ForwardedHeaders(String forwardedCertificateHeader) {
        this.certificateHeader = java.util.Objects.requireNonNull(forwardedCertificateHeader,
                "forwardedCertificateHeader");
    }

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders out = new HttpHeaders();
        out.putAll(input);
        out.set("X-Forwarded-Host", Addresses.host(exchange.getRequest()));
        out.set("X-Forwarded-Proto", Addresses.scheme(exchange.getRequest()));
        String peer = Addresses.sourceIp(exchange.getRequest());
        List<String> chain = input.get("X-Forwarded-For");
        String prior = chain == null || chain.isEmpty() ? null : String.join(", ", chain);
        out.set("X-Forwarded-For", prior == null ? peer : prior + ", " + peer);
        out.remove("Forwarded");
        out.remove(certificateHeader);
        // The upstream continues the gateway's trace, never one a client named (RECORD decides what counts).
        out.remove(TRACEPARENT);
        out.remove(TRACESTATE);
        RequestContext context = RequestContext.of(exchange);
        ConsumedCredentials.remove(out, context);
        // Only the gateway's own assertion, signed by ASSERT for this request (HYGIENE removed any inbound one).
        out.remove(AssertStep.HEADER);
        String assertion = context.assertionJwt();
        if (assertion != null) {
            out.set(AssertStep.HEADER, assertion);
        }
        SpanContext trace = context.trace();
        if (trace.isValid()) {
            W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(trace)), out, HttpHeaders::set);
        }
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
