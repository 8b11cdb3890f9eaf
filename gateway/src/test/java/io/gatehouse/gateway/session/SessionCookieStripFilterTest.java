package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

class SessionCookieStripFilterTest {

    private final SessionCookieStripFilter filter = new SessionCookieStripFilter();

    private HttpHeaders forwarded(String cookieHeader) {
        AtomicReference<ServerWebExchange> seen = new AtomicReference<>();
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.get("https://app.example/")
                .header(HttpHeaders.COOKIE, cookieHeader));
        filter.filter(exchange, e -> {
            seen.set(e);
            return Mono.empty();
        }).block();
        return seen.get().getRequest().getHeaders();
    }

    @Test
    void filterWhenGatewayCookiesAmongOthersThenOnlyOthersReachUpstream() {
        HttpHeaders headers = forwarded("a=1; __Host-gatehouse=secret; __Host-gatehouse-login=x; b=2");
        assertThat(headers.get(HttpHeaders.COOKIE)).containsExactly("a=1; b=2");
    }

    @Test
    void filterWhenOnlyGatewayCookieThenNoCookieHeader() {
        assertThat(forwarded("__Host-gatehouse=secret").containsKey(HttpHeaders.COOKIE)).isFalse();
    }
}
