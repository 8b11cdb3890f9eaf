package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.support.ClientResponseWrapper;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Issue 17, "Catch only what you mean": the inventory failing is an "unreachable" posture (fail closed, as before);
 * a bug on the way is not hidden behind it: it surfaces (500) and is counted in
 * {@code gatehouse_internal_errors_total{stage="device"}}.
 */
class PostureClientFailuresTest {

    private static final String SHA = "ab".repeat(32);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** A 10 s timeout: the first lookup of a JVM pays for the codecs' warm-up on a busy machine. */
    private PostureClient client(ExchangeFunction exchange) {
        var properties = new InventoryProperties(URI.create("http://127.0.0.1:9"), null, null, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(30), 100);
        return new PostureClient(WebClient.builder().exchangeFunction(exchange).build(), properties, null,
                CircuitBreaker.ofDefaults("test"), meters);
    }

    private double internalErrors() {
        var counter = meters.find("gatehouse_internal_errors").tag("stage", "device").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void postureWhenLookupHasABugThenTheBugSurfacesNotUnreachable() {
        // The inventory answers; looking at the answer fails with a bug (not I/O, not a bad answer).
        PostureClient client = client(request -> Mono.just(new ClientResponseWrapper(
                ClientResponse.create(HttpStatus.OK).build()) {
            @Override
            public <T> Mono<T> bodyToMono(Class<? extends T> type) {
                return Mono.error(new IllegalStateException("a bug"));
            }
        }));
        assertThatThrownBy(() -> client.posture(SHA).block(Duration.ofSeconds(15)))
                .isInstanceOf(IllegalStateException.class).hasMessage("a bug");
        assertThat(internalErrors()).isEqualTo(1);
    }

    @Test
    void postureWhenInventoryRefusesConnectionsThenUnreachableAsBefore() {
        PostureClient client = client(request -> Mono.error(new WebClientRequestException(
                new ConnectException("refused"), HttpMethod.GET, request.url(), new HttpHeaders())));
        PostureLookup lookup = client.posture(SHA).block(Duration.ofSeconds(15));
        assertThat(lookup).isNotNull();
        assertThat(lookup.note()).isNotNull();
        assertThat(lookup.note().code()).isEqualTo(PostureLookup.unreachable(SHA, "").note().code());
        assertThat(internalErrors()).isZero();
    }
}
