package io.gatehouse.gateway.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import reactor.netty.transport.AddressUtils;

/**
 * The client address of a PROXY-protocol connection, for every HTTP/2 stream on it. Reactor Netty (1.2.11) keeps the
 * header's address in one connection attribute and <em>takes</em> it (get and clear) when a request's remote
 * address is first asked for: on HTTP/1.1 once per connection, kept for every request; on HTTP/2 once per stream,
 * so every stream after the first got the load balancer's address, and a client outside every {@code source_ips}
 * range was judged as the load balancer (ProxyProtocolIT). So the address is remembered here when the header is
 * read, and {@link #EVERY_STREAM}, just before the HTTP/2 multiplexer, puts it back in Reactor Netty's attribute
 * before each HEADERS frame opens a stream. The attribute's name is Reactor Netty's; if it changed, ProxyProtocolIT
 * fails.
 */
final class ProxiedAddress {

    /** Ours: the header's source, for the connection's life. */
    static final AttributeKey<InetSocketAddress> CLIENT = AttributeKey.valueOf("gatehouse.proxiedClient");
    /** Reactor Netty's ({@code HAProxyMessageReader}): read and cleared per stream. */
    private static final AttributeKey<InetSocketAddress> REACTOR_NETTY =
            AttributeKey.valueOf("remoteAddressFromProxyProtocol");

    /** Before the HTTP/2 multiplexer of a PROXY-protocol connection; shared, it holds no state. */
    static final ChannelHandler EVERY_STREAM = new EveryStream();

    private ProxiedAddress() {
    }

    /** Keeps the header's source address, as Reactor Netty reads it; a LOCAL header (no source) keeps none. */
    static void remember(Channel channel, HAProxyMessage header) {
        if (header.sourceAddress() != null && header.sourcePort() != 0) {
            channel.attr(CLIENT).set(AddressUtils.createUnresolved(header.sourceAddress(), header.sourcePort()));
        }
    }

    @ChannelHandler.Sharable
    private static final class EveryStream extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame) {
                InetSocketAddress client = ctx.channel().attr(CLIENT).get();
                if (client != null) {
                    ctx.channel().attr(REACTOR_NETTY).set(client);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
