package io.gatehouse.gateway.forward;

import io.gatehouse.gateway.assertion.AssertWebFilter;
import io.gatehouse.gateway.decision.PolicyRequests;
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
 * set from its URL by the HTTP client.
 */
final class ForwardedHeaders implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        HttpHeaders out = new HttpHeaders();
        out.putAll(input);
        out.set("X-Forwarded-Host", AssertWebFilter.host(exchange.getRequest()));
        out.set("X-Forwarded-Proto", exchange.getRequest().getSslInfo() != null ? "https" : "http");
        String peer = PolicyRequests.sourceIp(exchange.getRequest());
        List<String> chain = input.get("X-Forwarded-For");
        String prior = chain == null || chain.isEmpty() ? null : String.join(", ", chain);
        out.set("X-Forwarded-For", prior == null ? peer : prior + ", " + peer);
        out.remove("Forwarded");
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
