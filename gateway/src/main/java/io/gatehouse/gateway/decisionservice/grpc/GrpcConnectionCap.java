package io.gatehouse.gateway.decisionservice.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.util.AsciiString;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on open connections of the Envoy gRPC ext_authz listener ({@code gatehouse.authz.grpc.max-connections}),
 * as the public and HTTP authz listeners have theirs ({@code listener.ConnectionLimits}). It wraps the listener's
 * protocol negotiator (TLS or plaintext), whose handler is the first thing grpc-netty puts on an accepted
 * connection: a connection beyond {@code max-connections} open ones is closed there, before the TLS handshake, the
 * HTTP/2 preface or any byte is read, and counted in
 * {@code gatehouse_authz_grpc_listener_connections_refused_total{reason="max-connections"}}, with a WARN at most every
 * 10 s. Only an admitted connection gets the real negotiator; the open ones are the gauge
 * {@code gatehouse_authz_grpc_listener_connections}. A slot is freed when its connection closes, however it closes
 * (the caller, {@code max-connection-idle}, a failed handshake, shutdown).
 */
final class GrpcConnectionCap implements InternalProtocolNegotiator.ProtocolNegotiator {

    private static final Logger log = LoggerFactory.getLogger(GrpcConnectionCap.class);
    private static final long WARN_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final InternalProtocolNegotiator.ProtocolNegotiator negotiator;
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter refused;
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong lastWarning;

    /**
     * @param negotiator     the listener's own (TLS or plaintext), given each admitted connection
     * @param maxConnections connections open at most
     */
    GrpcConnectionCap(InternalProtocolNegotiator.ProtocolNegotiator negotiator, int maxConnections,
                      MeterRegistry meters) {
        this.negotiator = Objects.requireNonNull(negotiator, "negotiator");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        this.maxConnections = maxConnections;
        Gauge.builder("gatehouse_authz_grpc_listener_connections", open, AtomicInteger::get)
                .description("connections open on the decision service's gRPC listener").register(meters);
        this.refused = Counter.builder("gatehouse_authz_grpc_listener_connections_refused")
                .description("connections of the decision service's gRPC listener closed before TLS, by reason")
                .tag("reason", "max-connections").register(meters);
        this.lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    @Override
    public AsciiString scheme() {
        return negotiator.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new Gate(grpcHandler);
    }

    @Override
    public void close() {
        negotiator.close();
    }

    private void warnOfRefusal() {
        unreported.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            log.warn("decision service: {} gRPC connections closed at once since the last warning: "
                    + "gatehouse.authz.grpc.max-connections ({}) are open", unreported.getAndSet(0), maxConnections);
        }
    }

    /** Takes a slot or closes the connection, when grpc-netty adds it to an accepted connection. */
    private final class Gate extends ChannelHandlerAdapter {

        private final GrpcHttp2ConnectionHandler grpcHandler;

        Gate(GrpcHttp2ConnectionHandler grpcHandler) {
            this.grpcHandler = grpcHandler;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            Channel channel = ctx.channel();
            if (open.incrementAndGet() > maxConnections) {
                open.decrementAndGet();
                refused.increment();
                warnOfRefusal();
                channel.close();
                return;
            }
            channel.closeFuture().addListener(closed -> open.decrementAndGet());
            ctx.pipeline().replace(this, null, negotiator.newHandler(grpcHandler));
        }
    }
}
