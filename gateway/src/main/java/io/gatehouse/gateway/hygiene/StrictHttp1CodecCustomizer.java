package io.gatehouse.gateway.hygiene;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpRequestDecoderSpec;
import reactor.netty.http.server.HttpServer;

/**
 * Puts {@link StrictHttp1Codec} in place of Reactor Netty's {@link HttpServerCodec} on every HTTP/1.1 connection of
 * the public (TLS) listener (docs/design.md, "Failure behaviour"), with the decoder limits Reactor Netty was configured
 * with ({@code server.max-http-request-header-size}, {@code server.netty.*}). The management listener is left alone:
 * it forwards nothing. Per accepted connection, after Reactor Netty's own channel initializer:
 * <ol>
 *   <li>HTTP/1.1 only: the codec is already in the pipeline as {@link NettyPipeline#HttpCodec}; replaced now;</li>
 *   <li>ALPN (h2 and http/1.1): Reactor Netty adds the codec only once the TLS handshake picked http/1.1, so a
 *       one-shot handler placed right after the negotiation handler replaces it when the first decrypted bytes pass,
 *       before the codec has read any; when h2 was picked it just steps aside (HTTP/2 has no Transfer-Encoding and
 *       no request line; Netty's HPACK decoder refuses the former);</li>
 *   <li>an HttpServerCodec anywhere else is a pipeline layout this class does not know (a Reactor Netty upgrade):
 *       the connection is closed with an error log rather than served without the checks.</li>
 * </ol>
 */
@Component
final class StrictHttp1CodecCustomizer implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(StrictHttp1CodecCustomizer.class);
    private static final String INSTALLER = "gatehouse.strictHttp1CodecInstaller";

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (!Ssl.isEnabled(factory.getSsl())) {
            return;
        }
        // Read the decoder settings when this customizer runs on the HttpServer, after Boot's own (order 0) set them.
        factory.addServerCustomizers(server -> server.doOnChannelInit(new Installer(decoderConfig(server))));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The same settings Reactor Netty gives its own codec (HttpServerConfig.configureHttp11Pipeline). */
    @SuppressWarnings("deprecation") // maxChunkSize: deprecated in Reactor Netty, still what it passes to Netty
    private static HttpDecoderConfig decoderConfig(HttpServer server) {
        HttpRequestDecoderSpec decoder = server.configuration().decoder();
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(decoder.maxInitialLineLength())
                .setMaxHeaderSize(decoder.maxHeaderSize())
                .setMaxChunkSize(decoder.maxChunkSize())
                .setValidateHeaders(decoder.validateHeaders())
                .setInitialBufferSize(decoder.initialBufferSize())
                .setAllowDuplicateContentLengths(decoder.allowDuplicateContentLengths())
                .setAllowPartialChunks(decoder.allowPartialChunks());
    }

    private record Installer(HttpDecoderConfig config) implements ChannelPipelineConfigurer {

        @Override
        public void onChannelInit(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remote) {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.H2OrHttp11Codec) != null) {
                pipeline.addAfter(NettyPipeline.H2OrHttp11Codec, INSTALLER, new InstallOnFirstRead(config));
            } else {
                install(pipeline, config);
            }
        }
    }

    /**
     * Replaces Reactor Netty's HTTP/1.1 codec if the pipeline has one. False, with the channel closing, when the
     * pipeline holds an HttpServerCodec somewhere else: Netty's own codec would accept both Content-Length and
     * chunked, and a tab in the request line, so the connection is not served at all.
     */
    private static boolean install(ChannelPipeline pipeline, HttpDecoderConfig config) {
        if (pipeline.get(NettyPipeline.HttpCodec) instanceof HttpServerCodec) {
            new StrictHttp1Codec(config).replace(pipeline, NettyPipeline.HttpCodec);
        } else if (pipeline.get(HttpServerCodec.class) != null) {
            log.error("HTTP/1.1 codec not where Reactor Netty used to put it ({}): closing {}; pipeline {}",
                    NettyPipeline.HttpCodec, pipeline.channel(), pipeline.names());
            pipeline.channel().close();
            return false;
        }
        return true;
    }

    /**
     * Sits in front of the codec ALPN adds, so no byte reaches the codec before the swap: the negotiation handler
     * holds every decrypted byte until it has configured the pipeline, then hands them on through this handler.
     */
    private static final class InstallOnFirstRead extends ChannelInboundHandlerAdapter {

        private final HttpDecoderConfig config;

        InstallOnFirstRead(HttpDecoderConfig config) {
            this.config = config;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline pipeline = ctx.pipeline();
            boolean installed = install(pipeline, config);
            pipeline.remove(this);
            if (installed) {
                ctx.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
