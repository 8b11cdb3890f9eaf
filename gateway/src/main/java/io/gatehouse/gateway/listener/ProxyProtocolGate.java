package io.gatehouse.gateway.listener;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Who may speak the PROXY protocol to the public listener ({@link ProxyProtocolProperties}). Reactor Netty decodes
 * the header ({@code HttpServer.proxyProtocol(ON)}: every connection must start with one) and makes its source the
 * request's remote address; this decides, per accepted connection, before a byte is read:
 * <ol>
 *   <li>a connection whose socket address is not a trusted load balancer is closed at once, whatever it would send
 *       (else anyone reaching the pod could write a header and pick the {@code source_ips} it is judged by);
 *       counted as {@code gatehouse_listener_connections_refused_total{reason="proxy-protocol-untrusted"}};</li>
 *   <li>a trusted one whose first bytes are no valid PROXY header (plain TLS, garbage, an unknown family) is closed,
 *       counted as {@code reason="proxy-protocol-invalid"}. One that sends nothing is closed by the TLS handshake
 *       deadline, which runs from the accept ({@link ConnectionLimits});</li>
 *   <li>over HTTP/2, every stream is given the header's source address ({@link ProxiedAddress}).</li>
 * </ol>
 * A {@code LOCAL} header (the load balancer's own health check) keeps the socket address, as the protocol says.
 */
final class ProxyProtocolGate {

    private static final String CHECK = "gatehouse.proxyProtocolCheck";
    private static final String EVERY_STREAM_INSTALLER = "gatehouse.proxiedAddressInstaller";
    private static final String EVERY_STREAM = "gatehouse.proxiedAddressEveryStream";

    private final List<IpSubnetFilterRule> trusted;
    private final Counter untrusted;
    private final Counter invalid;

    ProxyProtocolGate(List<IpSubnetFilterRule> trusted, Counter untrusted, Counter invalid) {
        this.trusted = List.copyOf(Objects.requireNonNull(trusted, "trusted"));
        this.untrusted = Objects.requireNonNull(untrusted, "untrusted");
        this.invalid = Objects.requireNonNull(invalid, "invalid");
    }

    /**
     * Closes {@code channel} and returns false unless its peer is trusted; else watches its PROXY header and returns
     * true. {@code remote} is the socket's peer address (no header has been read yet).
     */
    boolean admit(Channel channel, @Nullable SocketAddress remote) {
        SocketAddress peer = remote != null ? remote : channel.remoteAddress();
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null
                || trusted.stream().noneMatch(rule -> rule.matches(socket))) {
            untrusted.increment();
            channel.close();
            return false;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NettyPipeline.ProxyProtocolDecoder) == null) {
            // PROXY protocol is on but Reactor Netty put no decoder: never guess the client's address.
            invalid.increment();
            channel.close();
            return false;
        }
        pipeline.addAfter(NettyPipeline.ProxyProtocolDecoder, CHECK, new Check());
        if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
            pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, EVERY_STREAM_INSTALLER, new InstallOnFirstRead());
        }
        return true;
    }

    /** After ALPN: on HTTP/2, {@link ProxiedAddress#EVERY_STREAM} before the multiplexer; HTTP/1.1 needs nothing. */
    private final class InstallOnFirstRead extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.remove(this);
            if (pipeline.get(NettyPipeline.HttpCodec) instanceof Http2FrameCodec) {
                if (pipeline.get(NettyPipeline.H2MultiplexHandler) == null) {
                    // Streams could not be given the client's address: they would get the load balancer's.
                    ReferenceCountUtil.release(msg);
                    invalid.increment();
                    ctx.close();
                    return;
                }
                pipeline.addBefore(NettyPipeline.H2MultiplexHandler, EVERY_STREAM, ProxiedAddress.EVERY_STREAM);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Right after the decoder: counts and closes a bad header; hands a good one on and then leaves. */
    private final class Check extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage header) {
                ProxiedAddress.remember(ctx.channel(), header);
                ctx.pipeline().remove(this);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof HAProxyProtocolException || cause.getCause() instanceof HAProxyProtocolException) {
                invalid.increment();
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
