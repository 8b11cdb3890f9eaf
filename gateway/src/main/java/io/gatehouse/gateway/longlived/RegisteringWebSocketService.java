package io.gatehouse.gateway.longlived;

import io.gatehouse.gateway.RequestContext;
import io.gatehouse.gateway.problem.Problems;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

/**
 * Spring Cloud Gateway's {@code webSocketService}, wrapped (by {@link LongLivedConfiguration}'s post-processor) so
 * that every WebSocket upgrade the gateway forwards is tracked from the upgrade until it ends (docs/design.md,
 * "Long-lived connections"). Steps:
 * <ol>
 *   <li>an upgrade on a decided route is registered before it is accepted; when {@code max-connections} are open it
 *       is refused 503 {@code long-lived-limit} with {@code Retry-After}, never let through untracked;</li>
 *   <li>the handler (SCG's proxy to the upstream) runs as before; when it ends, however, the entry is forgotten;</li>
 *   <li>the cut: a close frame 1008 (policy violation) with a short reason; the proxy handler closes the upstream
 *       side when the client answers the close, and when the client does not answer within
 *       {@code close-timeout}, the proxy is cancelled (closing the upstream connection) and the client's connection
 *       dropped.</li>
 * </ol>
 */
final class RegisteringWebSocketService implements WebSocketService {

    private static final Logger LOG = LoggerFactory.getLogger(RegisteringWebSocketService.class);

    private final WebSocketService delegate;
    private final ConnectionTracker tracker;
    private final Duration closeTimeout;

    RegisteringWebSocketService(WebSocketService delegate, ConnectionTracker tracker, Duration closeTimeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
    }

    @Override
    public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        Channel channel = nativeRequest instanceof Connection netty ? netty.channel() : null;
        Mono<Void> upgrade = Mono.defer(() -> upgrade(exchange, handler, channel));
        if (channel == null || channel.eventLoop().inEventLoop()) {
            return upgrade;
        }
        // A stage waited for another thread (a posture lookup, a session in Redis): answer the upgrade on the
        // connection's own event loop. Done from another thread, Reactor Netty switches the pipeline to WebSocket
        // after the 101 is out, and a first frame the client sends at once can arrive in between and be dropped:
        // the WebSocket then stays open but its first message never reaches the upstream.
        return upgrade.subscribeOn(Schedulers.fromExecutor(channel.eventLoop()));
    }

    private Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, @Nullable Channel channel) {
        RequestContext context = RequestContext.find(exchange);
        if (context == null || !context.stagesApply() || context.route() == null) {
            // Not a decided request of the public listener: SCG forwards only those (FORWARD's one route).
            return delegate.handleRequest(exchange, handler);
        }
        Cut cut = new Cut(closeTimeout, channel);
        LongLivedConnection connection = tracker.open(exchange, context, LongLivedConnection.Kind.WEBSOCKET, 101, cut);
        if (connection == null) {
            return refuse(exchange, context);
        }
        return delegate.handleRequest(exchange, new WebSocketHandler() {
                    @Override
                    public java.util.List<String> getSubProtocols() {
                        return handler.getSubProtocols();
                    }

                    @Override
                    public Mono<Void> handle(WebSocketSession session) {
                        cut.attach(session);
                        return handler.handle(session).takeUntilOther(cut.forced())
                                .doFinally(signal -> tracker.closed(connection));
                    }
                })
                // handleRequest completes once the upgrade is answered, not when the WebSocket ends: the entry
                // leaves when the handler ends, when the connection closes, or when the upgrade failed.
                .doOnError(e -> tracker.closed(connection))
                .doOnCancel(() -> tracker.closed(connection))
                .doOnSubscribe(s -> {
                    if (channel != null) {
                        channel.closeFuture().addListener(f -> tracker.closed(connection));
                    }
                });
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, RequestContext context) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
        return Problems.writeJson(exchange, new Problems.Problem(HttpStatus.SERVICE_UNAVAILABLE, "long-lived-limit",
                "Too many long-lived connections", "The gateway holds as many long-lived connections as it may;"
                + " try again shortly.", java.util.List.of(), context.requestId(), context.routeId()));
    }

    /** The cut of one WebSocket: the close frame, then, after the close timeout, the end of both sides. */
    private static final class Cut implements LongLivedConnection.Cutter {

        private final Duration closeTimeout;
        private final @Nullable Channel channel;
        private final AtomicReference<@Nullable WebSocketSession> session = new AtomicReference<>();
        private final AtomicReference<@Nullable String> pending = new AtomicReference<>();
        private final Sinks.Empty<Void> forced = Sinks.empty();

        Cut(Duration closeTimeout, @Nullable Channel channel) {
            this.closeTimeout = closeTimeout;
            this.channel = channel;
        }

        void attach(WebSocketSession opened) {
            session.set(opened);
            String reason = pending.getAndSet(null);
            if (reason != null) {
                close(opened, reason); // cut before the handler ran
            }
        }

        Mono<Void> forced() {
            return forced.asMono();
        }

        @Override
        public String cut(String reason) {
            WebSocketSession opened = session.get();
            if (opened == null) {
                pending.set(reason);
            } else {
                close(opened, reason);
            }
            return "1008";
        }

        private void close(WebSocketSession opened, String reason) {
            opened.close(new CloseStatus(CloseStatus.POLICY_VIOLATION.getCode(), reason))
                    .subscribe(ignored -> { }, e -> LOG.debug("close frame not sent: {}", e.toString()));
            Mono.delay(closeTimeout).subscribe(tick -> {
                // The client did not finish the close handshake in time (or the proxy did not end): end both sides.
                forced.tryEmitEmpty();
                if (channel != null && channel.isOpen()) {
                    channel.close();
                }
            });
        }
    }
}
