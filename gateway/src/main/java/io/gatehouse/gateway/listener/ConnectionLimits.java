package io.gatehouse.gateway.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Per accepted connection of the public listener, before anything is read from it:
 * <ol>
 *   <li>the cap: a connection beyond {@code max-connections} open ones is closed at once, without a TLS handshake,
 *       and counted ({@code gatehouse_listener_connections_refused_total{reason="max-connections"}}); the open
 *       ones are a gauge
 *       ({@code gatehouse_listener_connections});</li>
 *   <li>the TLS handshake deadline: a connection whose handshake has not finished by then (nothing sent, half a
 *       ClientHello, a stalled handshake) is closed;</li>
 *   <li>the request-head and unread-body deadlines on HTTP/1.1 ({@link Http1Deadlines}), placed around the
 *       HTTP/1.1 decoder: right away without ALPN, or when the first decrypted bytes pass if ALPN picked
 *       http/1.1; on HTTP/2 the idle timeout that spares open streams ({@link Http2IdleTimeout}), placed
 *       likewise.</li>
 * </ol>
 * Each timeout is counted in {@code gatehouse_listener_timeouts_total{phase}}.
 */
public final class ConnectionLimits implements ChannelPipelineConfigurer {

    private static final String DEADLINES_INSTALLER = "gatehouse.listenerDeadlinesInstaller";

    private final AtomicInteger open = new AtomicInteger();
    private final int maxConnections;
    private final long handshakeMillis;
    private final long headerMillis;
    private final long bodyMillis;
    private final Counter refused;
    private final Counter handshakeTimeouts;
    private final Counter headerTimeouts;
    private final Counter bodyTimeouts;

    ConnectionLimits(ListenerProperties properties, MeterRegistry meters) {
        this(properties, meters, "gatehouse_listener", "the public listener");
    }

    /**
     * The same limits for another listener (the decision service's): its meters are named {@code prefix}
     * ({@code _connections}, {@code _connections_refused}, {@code _timeouts}) and described as {@code which}.
     */
    ConnectionLimits(ListenerProperties properties, MeterRegistry meters, String prefix, String which) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(meters, "meters");
        this.maxConnections = Objects.requireNonNull(properties.maxConnections(), "maxConnections");
        this.handshakeMillis = Objects.requireNonNull(properties.tlsHandshakeTimeout(), "tlsHandshakeTimeout")
                .toMillis();
        this.headerMillis = Objects.requireNonNull(properties.headerReadTimeout(), "headerReadTimeout").toMillis();
        this.bodyMillis = Objects.requireNonNull(properties.bodyTimeout(), "bodyTimeout").toMillis();
        Gauge.builder(prefix + "_connections", open, AtomicInteger::get)
                .description("connections open on " + which).register(meters);
        this.refused = Counter.builder(prefix + "_connections_refused")
                .description("connections of " + which + " closed before TLS, by reason")
                .tag("reason", "max-connections").register(meters);
        this.handshakeTimeouts = timeouts(meters, prefix, which, "tls-handshake");
        this.headerTimeouts = timeouts(meters, prefix, which, "request-head");
        this.bodyTimeouts = timeouts(meters, prefix, which, "request-body");
    }

    /**
     * The listener limits ({@code gatehouse.listener.*}: connection cap, TLS handshake and request-head deadlines,
     * the HTTP/2 idle timeout that spares open streams) for a listener other than the public one, to pass to
     * Reactor Netty's {@code doOnChannelInit}; meters named {@code prefix} as above.
     */
    public static ChannelPipelineConfigurer forListener(ListenerProperties properties, MeterRegistry meters,
                                                        String prefix, String which) {
        return new ConnectionLimits(properties, meters, prefix, which);
    }

    /**
     * {@code gatehouse_listener_connections_refused_total{reason}}: connections closed before TLS, by reason
     * ({@code max-connections}, {@code proxy-protocol-untrusted}, {@code proxy-protocol-invalid}).
     */
    static Counter refused(MeterRegistry meters, String reason) {
        return Counter.builder("gatehouse_listener_connections_refused")
                .description("connections of the public listener closed before TLS, by reason")
                .tag("reason", reason).register(meters);
    }

    private static Counter timeouts(MeterRegistry meters, String prefix, String which, String phase) {
        return Counter.builder(prefix + "_timeouts")
                .description("connections of " + which + " closed because a client was too slow, by phase")
                .tag("phase", phase).register(meters);
    }

    @Override
    public void onChannelInit(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remote) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refused.increment();
            channel.close();
            return;
        }
        var handshakeDeadline = channel.eventLoop().schedule(() -> {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (channel.isActive() && (ssl == null || !ssl.handshakeFuture().isSuccess())) {
                handshakeTimeouts.increment();
                channel.close();
            }
        }, handshakeMillis, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> {
            handshakeDeadline.cancel(false);
            open.decrementAndGet();
        });
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
            pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, DEADLINES_INSTALLER, new InstallOnFirstRead());
        } else {
            installDeadlines(pipeline);
        }
    }

    /**
     * HTTP/1.1: the head and unread-body deadlines around the decoder, Netty's or our strict one (same name).
     * HTTP/2: an idle timeout that spares a connection with open streams, in place of Reactor Netty's.
     */
    private void installDeadlines(ChannelPipeline pipeline) {
        Object codec = pipeline.get(NettyPipeline.HttpCodec);
        if (codec instanceof HttpServerCodec || codec instanceof HttpRequestDecoder) {
            new Http1Deadlines(headerMillis, bodyMillis, headerTimeouts, bodyTimeouts)
                    .install(pipeline, NettyPipeline.HttpCodec);
        } else if (codec instanceof Http2FrameCodec frames
                && pipeline.get(NettyPipeline.IdleTimeoutHandler) instanceof IdleStateHandler idle) {
            pipeline.replace(NettyPipeline.IdleTimeoutHandler, NettyPipeline.IdleTimeoutHandler,
                    new Http2IdleTimeout(idle.getReaderIdleTimeInMillis(), frames.connection()));
        }
    }

    /** After ALPN: the negotiation handler has built the HTTP/1.1 or HTTP/2 pipeline before it hands on a byte. */
    private final class InstallOnFirstRead extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline pipeline = ctx.pipeline();
            installDeadlines(pipeline);
            pipeline.remove(this);
            ctx.fireChannelRead(msg);
        }
    }
}
