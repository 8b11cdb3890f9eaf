package io.gatehouse.gateway.decisionservice.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.DisposableServer;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The HTTP authz listener (docs/design-next.md §2.1): its own Reactor Netty {@link HttpServer} on
 * {@code gatehouse.authz.address}:{@code gatehouse.authz.http.port}, never the public listener and never a Spring
 * WebFlux port (no public WebFilter, router function or gateway route runs here; only {@link AuthzHttpRouter}).
 * HTTP/1.1 and HTTP/2 (h2 over TLS, h2c without); the {@code listener} package's limits apply: request header
 * size, idle timeout, and the connection cap with the TLS-handshake and request-head deadlines. Request bodies are
 * never read. Started and stopped with the application context; a port that cannot be bound fails startup.
 */
public final class AuthzHttpServer implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuthzHttpServer.class);

    /** Where and how the listener runs. */
    public record Settings(String address, int port, @Nullable Http2SslContextSpec tls, int maxHeaderSize,
                           Duration idleTimeout, ChannelPipelineConfigurer limits) {
        public Settings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(limits, "limits");
        }
    }

    private final Settings settings;
    private final AuthzHttpRouter router;
    private volatile @Nullable DisposableServer server;

    public AuthzHttpServer(Settings settings, AuthzHttpRouter router) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.router = Objects.requireNonNull(router, "router");
    }

    @Override
    public void start() {
        HttpServer http = HttpServer.create()
                .host(settings.address())
                .port(settings.port())
                .idleTimeout(settings.idleTimeout())
                .httpRequestDecoder(spec -> spec.maxHeaderSize(settings.maxHeaderSize()))
                .http2Settings(spec -> spec.maxHeaderListSize(settings.maxHeaderSize()))
                .doOnChannelInit(settings.limits())
                .handle(this::handle);
        Http2SslContextSpec tls = settings.tls();
        http = tls == null ? http.protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
                : http.secure(spec -> spec.sslContext(tls)).protocol(HttpProtocol.HTTP11, HttpProtocol.H2);
        DisposableServer bound = http.bindNow(Duration.ofSeconds(30));
        this.server = bound;
        LOG.info("decision service: HTTP authz listener on {}:{} ({}), dialects /authz/nginx, /authz/forward-auth,"
                + " /authz/envoy/*", settings.address(), port(), tls == null ? "plain HTTP" : "TLS");
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        Channel[] channel = new Channel[1];
        request.withConnection(connection -> channel[0] = connection.channel());
        X509Certificate peer = peerCertificate(channel[0]);
        InetSocketAddress remote = request.remoteAddress();
        HttpHeaders headers = new HttpHeaders();
        for (Map.Entry<String, String> header : request.requestHeaders()) {
            headers.add(header.getKey(), header.getValue());
        }
        return router.handle(request.method().name(), request.uri(), headers, remote, peer)
                .flatMap(answer -> {
                    response.status(answer.status());
                    answer.headers().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
                    response.header(HttpHeaders.CONTENT_LENGTH, Integer.toString(answer.body().length));
                    return answer.body().length == 0 ? response.send().then()
                            : response.sendByteArray(Mono.just(answer.body())).then();
                });
    }

    /** The client certificate the TLS handshake verified (HTTP/2: on the parent channel), or null. */
    static @Nullable X509Certificate peerCertificate(@Nullable Channel channel) {
        Channel c = channel;
        while (c != null) {
            SslHandler ssl = c.pipeline().get(SslHandler.class);
            if (ssl != null) {
                try {
                    Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
                    return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
                } catch (SSLPeerUnverifiedException none) {
                    return null;
                }
            }
            c = c.parent();
        }
        return null;
    }

    /** The bound port (the configured one, or the one picked for port 0); -1 when not running. */
    public int port() {
        DisposableServer bound = server;
        return bound == null ? -1 : bound.port();
    }

    @Override
    public void stop() {
        DisposableServer bound = server;
        if (bound != null) {
            bound.disposeNow(Duration.ofSeconds(10));
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
