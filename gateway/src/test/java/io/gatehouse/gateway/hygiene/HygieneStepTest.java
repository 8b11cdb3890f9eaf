package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.exchange.TrustedProxies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

class HygieneStepTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HygieneStep filter = new HygieneStep(new TrustedProxies(List.of("10.0.0.0/8")),
            InboundHeaders.defaults(), meters);
    private final AtomicReference<ServerWebExchange> passed = new AtomicReference<>();
    private final WebFilterChain chain = exchange -> {
        passed.set(exchange);
        return Mono.empty();
    };

    @Test
    void filterWhenEncodedSlashThen400ProblemAndChainNotCalled() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.method(HttpMethod.GET, URI.create("https://app.corp.example/a%2Fb")));

        filter.filter(exchange, chain).block();

        assertThat(passed.get()).isNull();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(exchange.getResponse().getHeaders().getFirst("Connection")).isEqualTo("close");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"status\":400", "found \\\"%2F\\\"", "\"code\":\"hygiene-encoded-slash\"",
                        "\"request_id\":\"req-1\"");
        assertThat(RequestContext.of(exchange).rejection().code()).isEqualTo("hygiene-encoded-slash");
        assertThat(meters.counter("gatehouse_hygiene_rejections", "pattern", "encoded-slash").count()).isEqualTo(1);
    }

    @Test
    void filterWhenHostDisagreesWithTargetThen400() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://app.corp.example/x")
                .header("Host", "evil.example"));

        filter.filter(exchange, chain).block();

        assertThat(passed.get()).isNull();
        assertThat(RequestContext.of(exchange).rejection().code()).isEqualTo("hygiene-host-mismatch");
    }

    @Test
    void filterWhenCleanThenCanonicalPathRecordedAndSpoofedHeadersStripped() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.method(HttpMethod.GET, URI.create("https://app.corp.example/%61dmin"))
                .header("X-Gatehouse-Assertion", "forged")
                .header("x_gatehouse_user", "pat")
                .header("X-Forwarded-For", "1.2.3.4")
                .header("Accept", "*/*")
                .remoteAddress(new InetSocketAddress("203.0.113.5", 5555)));

        filter.filter(exchange, chain).block();

        assertThat(passed.get()).isNotNull();
        assertThat(passed.get().getRequest().getHeaders().keySet()).containsExactly("Accept");
        assertThat(RequestContext.of(exchange).canonicalPath()).isEqualTo("/admin");
        assertThat(RequestContext.of(exchange).rejection()).isNull();
    }

    @Test
    void filterWhenPeerIsTrustedProxyThenForwardingHeadersKeptButGatehouseHeadersNot() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://app.corp.example/")
                .header("X-Gatehouse-Assertion", "forged")
                .header("X-Forwarded-For", "1.2.3.4")
                .remoteAddress(new InetSocketAddress("10.1.2.3", 5555)));

        filter.filter(exchange, chain).block();

        assertThat(passed.get().getRequest().getHeaders().keySet()).containsExactly("X-Forwarded-For");
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        RequestContext.attach(exchange, new RequestContext("req-1", System.nanoTime()));
        return exchange;
    }
}
