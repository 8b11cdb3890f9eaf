package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.RequestContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** The stage's choices: no credential goes on as anonymous; a bad one is a 401 here and never reaches the chain. */
class AuthenticateStepTest {

    private final BearerAuthenticator bearer = new BearerAuthenticator(List.of(), "https://gatehouse.test",
            Clock.systemUTC(), 10, new SimpleMeterRegistry());
    private final AuthenticateStep filter = new AuthenticateStep(bearer);
    private final AtomicBoolean chained = new AtomicBoolean();
    private final WebFilterChain chain = exchange -> {
        chained.set(true);
        return Mono.empty();
    };

    @Test
    void filterWhenNoCredentialThenAnonymousAndChainContinues() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/"));

        filter.filter(exchange, chain).block();

        assertThat(chained).isTrue();
        assertThat(RequestContext.of(exchange).authKind()).isEqualTo(RequestContext.AuthKind.ANONYMOUS);
        assertThat(RequestContext.of(exchange).rejection()).isNull();
    }

    @Test
    void filterWhenBadBearerThen401ChallengeProblemAndRejectionRecorded() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("Authorization", "Bearer not-a-token"));

        filter.filter(exchange, chain).block();

        assertThat(chained).isFalse();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst("WWW-Authenticate"))
                .isEqualTo("Bearer error=\"invalid_token\", error_description=\"the token is not a JWT\"");
        assertThat(exchange.getResponse().getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"bearer-invalid-token\"",
                "\"request_id\":\"req-1\"");
        assertThat(RequestContext.of(exchange).rejection().code()).isEqualTo("bearer-invalid-token");
    }

    @Test
    void filterWhenTwoAuthorizationHeadersThen401() {
        MockServerWebExchange exchange = exchange(MockServerHttpRequest.get("https://a.example/")
                .header("Authorization", "Bearer a", "Bearer b"));

        filter.filter(exchange, chain).block();

        assertThat(chained).isFalse();
        assertThat(exchange.getResponse().getHeaders().getFirst("WWW-Authenticate"))
                .contains("more than one Authorization header");
    }

    @Test
    void quotableDropsWhatCannotStandInAQuotedString() {
        assertThat(AuthenticateStep.quotable("iss \"x\" \\ \u0000é")).isEqualTo("iss 'x'     ");
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        RequestContext.attach(exchange, new RequestContext("req-1", System.nanoTime()));
        return exchange;
    }
}
