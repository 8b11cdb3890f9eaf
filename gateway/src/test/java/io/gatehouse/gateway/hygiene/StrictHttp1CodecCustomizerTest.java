package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.Ssl;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * {@link StrictHttp1CodecCustomizer} on embedded channels laid out the way Reactor Netty lays out the public
 * listener's: HTTP/1.1 only, and ALPN, where the codec arrives after the handshake.
 */
class StrictHttp1CodecCustomizerTest {

    private static final String CONTENT_LENGTH_AND_CHUNKED = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";

    /** The channel initializer the customizer adds to a TLS listener whose decoder allows 64-byte request lines. */
    private static ChannelPipelineConfigurer channelInit() {
        NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
        factory.setSsl(new Ssl());
        new StrictHttp1CodecCustomizer().customize(factory);
        HttpServer server = HttpServer.create().httpRequestDecoder(decoder -> decoder.maxInitialLineLength(64));
        for (NettyServerCustomizer customizer : factory.getServerCustomizers()) {
            server = customizer.apply(server);
        }
        return server.configuration().doOnChannelInit();
    }

    /** A channel as Reactor Netty leaves it before the TLS handshake picked a protocol. */
    private static EmbeddedChannel beforeAlpn() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.H2OrHttp11Codec, new ChannelInboundHandlerAdapter());
        channelInit().onChannelInit(ConnectionObserver.emptyListener(), channel, null);
        return channel;
    }

    /** Reactor Netty's codec slot holds the strict decoder, with the encoder right before it. */
    private static void assertStrictCodecInPlace(EmbeddedChannel channel) {
        List<String> names = channel.pipeline().names();
        assertThat(channel.pipeline().get(NettyPipeline.HttpCodec)).isInstanceOf(HttpRequestDecoder.class);
        assertThat(channel.pipeline().get(StrictHttp1Codec.ENCODER)).isInstanceOf(HttpResponseEncoder.class);
        assertThat(names.indexOf(StrictHttp1Codec.ENCODER)).isEqualTo(names.indexOf(NettyPipeline.HttpCodec) - 1);
        assertThat(channel.pipeline().get(HttpServerCodec.class)).isNull();
    }

    private static Object firstReadAfter(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(RawHttp.bytes(bytes)));
        return channel.readInbound();
    }

    @Test
    void channelInitWhenHttp11OnlyThenReactorNettysCodecReplaced() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());

        channelInit().onChannelInit(ConnectionObserver.emptyListener(), channel, null);

        assertStrictCodecInPlace(channel);
        HttpRequest request = (HttpRequest) firstReadAfter(channel, CONTENT_LENGTH_AND_CHUNKED);
        assertThat(request.decoderResult().isFailure()).isTrue();
    }

    @Test
    void channelInitWhenAlpnPicksHttp11ThenCodecReplacedBeforeItReadsAByte() {
        EmbeddedChannel channel = beforeAlpn();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec()); // the handshake picked http/1.1

        HttpRequest request = (HttpRequest) firstReadAfter(channel, CONTENT_LENGTH_AND_CHUNKED);

        assertThat(request.decoderResult().isFailure()).isTrue();
        assertStrictCodecInPlace(channel);
        assertThat(channel.pipeline().names()).doesNotContain("gatehouse.strictHttp1CodecInstaller");
    }

    @Test
    void channelInitWhenAlpnPicksH2ThenStepsAside() {
        EmbeddedChannel channel = beforeAlpn();
        ChannelInboundHandlerAdapter h2 = new ChannelInboundHandlerAdapter();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, h2);

        Object read = firstReadAfter(channel, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

        assertThat(read).isInstanceOf(ByteBuf.class);
        ReferenceCountUtil.release(read);
        assertThat(channel.pipeline().get(NettyPipeline.HttpCodec)).isSameAs(h2);
        assertThat(channel.pipeline().names()).noneMatch(name -> name.startsWith("gatehouse."));
    }

    @Test
    void channelInitThenReactorNettysDecoderLimitsKept() {
        EmbeddedChannel channel = beforeAlpn();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());

        HttpRequest request = (HttpRequest) firstReadAfter(channel,
                "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(request.decoderResult().cause()).isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void channelInitWhenHttpServerCodecSomewhereUnknownThenConnectionClosedUnread() {
        EmbeddedChannel channel = beforeAlpn();
        channel.pipeline().addLast("elsewhere", new HttpServerCodec());

        Object read = firstReadAfter(channel, CONTENT_LENGTH_AND_CHUNKED);

        assertThat(read).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void customizeWhenListenerHasNoTlsThenLeftAlone() {
        NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();

        new StrictHttp1CodecCustomizer().customize(factory);

        assertThat(factory.getServerCustomizers()).isEmpty();
    }
}
