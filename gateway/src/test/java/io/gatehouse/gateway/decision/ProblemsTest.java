package io.gatehouse.gateway.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class ProblemsTest {

    @Test
    void writeWhenBrowserDeniedThenPageShowsTheRequestsArrivalAsTheDecisionLogHasIt() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("https://app.example/admin").header(HttpHeaders.ACCEPT, "text/html"));
        RequestContext context = RequestContext.attach(exchange, new RequestContext("req-1", 0));
        context.startedAt(Instant.parse("2001-02-03T04:05:06.789Z"));

        Problems.write(exchange, new Problems.Problem(HttpStatus.FORBIDDEN, "denied", "Access denied",
                "You may not open this page.", List.of("group admins needed"), "req-1", "app")).block();

        assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("Request id: <code>req-1</code> at <code>2001-02-03T04:05:06Z</code>")
                .contains("<li>group admins needed</li>");
    }
}
