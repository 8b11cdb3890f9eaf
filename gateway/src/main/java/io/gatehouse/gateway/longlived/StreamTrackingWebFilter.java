package io.gatehouse.gateway.longlived;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.gateway.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.NettyOutbound;
import reactor.netty.channel.AbortedException;

/**
 * Streaming responses are long-lived connections too (issue 22; docs/design.md, "Long-lived connections"). The
 * response of every decided, forwarded request is decorated (this filter runs last of the WebFilters, after every
 * stage decided; Spring Cloud Gateway then writes the upstream's body through the decorator):
 * <ul>
 *   <li>a {@code text/event-stream} body is tracked from its first write; a cut ends it with one last event,
 *       {@code event: gatehouse-denied} and a JSON {@code data} line naming the reason and the request id, and
 *       completes: a browser's EventSource reconnects, meets the door, and gets its 403;</li>
 *   <li>any other body still being written {@code gatehouse.long-lived.stream-after} after its first write (a long
 *       download) is tracked from then on; a cut makes the body fail, so the connection is closed (HTTP/1.1) or the
 *       stream reset (HTTP/2): the client sees a failed transfer, never a truncated file that looks complete.</li>
 * </ul>
 * Cancelling the body also ends the upstream's. At {@code max-connections} a stream is ended at once the same way.
 * WebSocket upgrades are tracked by {@link RegisteringWebSocketService}, not here.
 */
final class StreamTrackingWebFilter implements WebFilter, Ordered {

    static final String DENIED_EVENT = "gatehouse-denied";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConnectionTracker tracker;
    private final Duration streamAfter;

    StreamTrackingWebFilter(ConnectionTracker tracker, Duration streamAfter) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.streamAfter = Objects.requireNonNull(streamAfter, "streamAfter");
    }

    /** Last of the WebFilters: every stage has decided; FORWARD (SCG's handler) runs after all WebFilters. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        RequestContext context = RequestContext.find(exchange);
        if (context == null || !context.stagesApply() || context.route() == null
                || "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade())) {
            return chain.filter(exchange);
        }
        Tracked response = new Tracked(exchange, context);
        return chain.filter(exchange.mutate().response(response).build());
    }

    /** The response of one request, tracked while its body streams. */
    private final class Tracked extends ServerHttpResponseDecorator implements LongLivedConnection.Cutter {

        private final ServerWebExchange exchange;
        private final RequestContext context;
        private final Sinks.Empty<Void> cut = Sinks.empty();
        private final AtomicReference<@Nullable String> cutReason = new AtomicReference<>();
        private volatile boolean eventStream;
        private volatile @Nullable LongLivedConnection connection;
        /** Cancels the stream-after task (a non-event-stream body not yet tracked). */
        private volatile @Nullable Runnable later;
        /** Set when the body has ended: a registration racing with the end must not outlive it. */
        private volatile boolean ended;

        Tracked(ServerWebExchange exchange, RequestContext context) {
            super(exchange.getResponse());
            this.exchange = exchange;
            this.context = context;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            start();
            Flux<DataBuffer> tracked = Flux.<DataBuffer>from(body).takeUntilOther(cut.asMono())
                    .concatWith(Mono.defer(this::ending));
            return super.writeWith(tracked).doFinally(s -> ended());
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            start();
            Flux<Publisher<? extends DataBuffer>> tracked = Flux.<Publisher<? extends DataBuffer>>from(body)
                    .takeUntilOther(cut.asMono())
                    .concatWith(Mono.defer(this::ending).map(Flux::just));
            return super.writeAndFlushWith(tracked).doFinally(s -> ended());
        }

        private void start() {
            MediaType type = getHeaders().getContentType();
            eventStream = type != null && MediaType.TEXT_EVENT_STREAM.isCompatibleWith(type);
            if (eventStream) {
                open();
            } else {
                later = tracker.after(streamAfter, this::open);
            }
        }

        private void open() {
            int status = getStatusCode() == null ? 200 : getStatusCode().value();
            LongLivedConnection opened = tracker.open(exchange, context, LongLivedConnection.Kind.STREAM, status,
                    this);
            if (opened == null) {
                cut(Redecider.closeReason("too many long-lived connections", context.requestId()));
                return;
            }
            connection = opened;
            if (ended) {
                // The stream-after timer fired as the body ended: ended() may have missed this registration.
                tracker.closed(opened);
            }
        }

        /** What follows the body: nothing, or after a cut the final event (SSE) or the failure (any other). */
        private Mono<DataBuffer> ending() {
            String reason = cutReason.get();
            if (reason == null) {
                return Mono.empty();
            }
            if (!eventStream) {
                return reset(reason);
            }
            String event = deniedEvent(context.requestId(), reason);
            return Mono.just(bufferFactory().wrap(event.getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Ends a cut download as a failed transfer without an ERROR in the application log. Failing the body alone
         * (as {@link StreamCutException}) makes Spring's HttpWebHandlerAdapter ("ServerHttpResponse already
         * committed") and Reactor Netty ("Error finishing response") log it at ERROR with a stack trace, as if the
         * gateway had a bug; the cut is deliberate and the re-decider has logged it (one INFO line, and the decision
         * log). So the filter closes the connection (HTTP/1.1) or resets the stream (HTTP/2: closing the stream's
         * child channel sends RST_STREAM) itself, and only once that is done fails the body with Reactor Netty's
         * {@link AbortedException}, which both treat as a client gone away (DEBUG at most). Nothing can be written
         * after the close, so the client never gets a body end that looks complete. Any other server (no Netty
         * connection) keeps the plain failure.
         */
        private Mono<DataBuffer> reset(String reason) {
            Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(getDelegate());
            if (!(nativeResponse instanceof NettyOutbound outbound)) {
                return Mono.error(new StreamCutException(reason));
            }
            Sinks.Empty<Void> closed = Sinks.empty();
            outbound.withConnection(connection -> connection.channel().close()
                    .addListener(done -> closed.tryEmitEmpty()));
            return closed.asMono().then(Mono.error(() -> new AbortedException("stream cut: " + reason)));
        }

        private void ended() {
            ended = true;
            Runnable pending = later;
            if (pending != null) {
                pending.run();
            }
            LongLivedConnection opened = connection;
            if (opened != null) {
                tracker.closed(opened);
            }
        }

        @Override
        public String cut(String reason) {
            cutReason.compareAndSet(null, reason);
            cut.tryEmitEmpty();
            return eventStream ? "ended" : "reset";
        }
    }

    /**
     * The final event of a cut event stream: {@code event: gatehouse-denied} and one {@code data} line, a JSON object
     * {@code {"code":"connection-cut","request_id":…,"reason":…}} written by Jackson, which escapes every control
     * character (so no raw CR or LF ends the data line early), quotes and backslashes.
     */
    static String deniedEvent(String requestId, String reason) {
        ObjectNode data = JSON.createObjectNode().put("code", "connection-cut").put("request_id", requestId)
                .put("reason", reason);
        try {
            return "event: " + DENIED_EVENT + "\ndata: " + JSON.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an object of three strings could not be written as JSON", e);
        }
    }

    /**
     * A stream the policy no longer allows, on a server without a Netty connection to close: the body fails so the
     * client sees a failed transfer.
     */
    static final class StreamCutException extends RuntimeException {
        StreamCutException(String reason) {
            super(reason, null, false, false);
        }
    }
}
