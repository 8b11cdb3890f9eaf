package io.gatehouse.gateway.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The request-body timeouts of the public listener (HTTP/1.1 and every HTTP/2 stream), answered as what they are:
 * the client's fault, {@code 408 Request Timeout}, in the answer and in the decision log. Every request that can
 * have a body (HTTP/2, or HTTP/1.x with {@code Content-Length} or {@code Transfer-Encoding}) has it wrapped at the
 * very start, before any stage, and it fails with a {@link ResponseStatusException} (408) when
 * <ul>
 *   <li>{@code body-read-timeout} passes between two buffers of it (or before the first), or</li>
 *   <li>{@code body-timeout} passes from the moment the request head arrived, however the bytes trickle.</li>
 * </ul>
 * The error handler answers the 408 and RECORD logs it once. An HTTP/1.1 answer gets {@code Connection: close}: the
 * rest of the body would be read as the next request. Not Reactor Netty's {@code readTimeout}/{@code requestTimeout}:
 * they close the connection or stream at once, so the request would be logged as an upstream timeout (504, the same
 * {@code ReadTimeoutException} as its HTTP client's) or as one the client walked away from (499).
 *
 * <p>The clocks run while a stage reads the body: a body nobody reads (a request denied before it is forwarded) is
 * not timed, and an upstream that stops reading for {@code body-read-timeout} looks like a slow client. Each timeout
 * is counted in {@code gatehouse_listener_timeouts_total{phase="request-body"}}.
 */
@Component
final class RequestBodyTimeouts implements HttpHandlerDecoratorFactory {

    private final Duration gap;
    private final Duration whole;
    private final Counter timeouts;

    RequestBodyTimeouts(ListenerProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.gap = Objects.requireNonNull(properties.bodyReadTimeout(), "bodyReadTimeout");
        this.whole = Objects.requireNonNull(properties.bodyTimeout(), "bodyTimeout");
        this.timeouts = Counter.builder("gatehouse_listener_timeouts")
                .description("connections of the public listener closed because a client was too slow, by phase")
                .tag("phase", "request-body").register(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Override
    public HttpHandler apply(HttpHandler handler) {
        return (request, response) -> {
            boolean http1 = http1(request);
            if (http1 && !request.getHeaders().containsKey(HttpHeaders.CONTENT_LENGTH)
                    && !request.getHeaders().containsKey(HttpHeaders.TRANSFER_ENCODING)) {
                // HTTP/1.x framing: a request with neither header has no body (RFC 9112, 6.3), so there is nothing
                // to time; what follows on the connection is the next request, under Http1Deadlines. Untimed, such a
                // request (most GETs) schedules no timer per request (docs/performance.md).
                return handler.handle(request, response);
            }
            TimedBody timed = new TimedBody(request, System.nanoTime() + whole.toNanos());
            if (http1) {
                response.beforeCommit(() -> closeAfter(timed, response));
            }
            return handler.handle(timed, response);
        };
    }

    private static Mono<Void> closeAfter(TimedBody timed, ServerHttpResponse response) {
        if (timed.expired.get()) {
            response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        }
        return Mono.empty();
    }

    private static boolean http1(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest netty
                    && netty.version().majorVersion() == 1;
        } catch (IllegalStateException e) {
            return false; // not a Reactor Netty request (a mock in a unit test)
        }
    }

    private final class TimedBody extends ServerHttpRequestDecorator {

        private final long deadlineNanos;
        private final AtomicBoolean expired = new AtomicBoolean();

        TimedBody(ServerHttpRequest delegate, long deadlineNanos) {
            super(delegate);
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            // Whichever comes first: the gap allowed before the next buffer, or what is left of the whole body's time.
            Mono<Long> next = Mono.defer(() -> Mono.delay(min(gap,
                    Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))));
            return super.getBody().timeout(next, buffer -> next, Flux.defer(() -> {
                expired.set(true);
                timeouts.increment();
                return Flux.error(new ResponseStatusException(HttpStatus.REQUEST_TIMEOUT,
                        "the request body did not arrive in time (gatehouse.listener.body-read-timeout " + gap
                                + ", body-timeout " + whole + ")"));
            }));
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
