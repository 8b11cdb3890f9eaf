package io.gatehouse.gateway.forward;

import java.time.Duration;
import java.util.Objects;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.http.client.HttpClient;

/**
 * The upstream's response timeout, {@code gatehouse.forward.response-timeout} (default 30 s): from the moment the
 * request has been sent until the response is complete, the upstream may not go that long without sending a byte
 * (nginx's {@code proxy_read_timeout}). Before the status line that is a 504; after it, the client's answer ends
 * short, and neither connection is held for a stalled upstream. Reactor Netty's own {@code responseTimeout}: a Netty
 * {@code ReadTimeoutHandler} on the upstream connection, timed on that connection's event loop.
 *
 * <p>Not Spring Cloud Gateway's {@code response-timeout}: that puts a Reactor {@code timeout} on each response,
 * which schedules and cancels a task on Reactor's parallel scheduler per request, waking one of its threads each
 * time (about 60 µs of CPU per request at one connection, half of it on the event loop, in a profile), and it
 * never times out a body that stalls after the headers.
 */
@Component
final class UpstreamTimeout implements HttpClientCustomizer {

    private final Duration timeout;

    UpstreamTimeout(ForwardProperties properties) {
        this.timeout = Objects.requireNonNull(properties.responseTimeout(), "timeout");
    }

    @Override
    public HttpClient customize(HttpClient client) {
        return client.responseTimeout(timeout);
    }
}
