package io.gatehouse.gateway.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.SslInfo;
import reactor.netty.Connection;

/**
 * What the TLS handshake of a request's connection established: the protocol version and the verified client
 * certificate, if one was presented. Read once per connection and kept on the Netty channel (for HTTP/2, the
 * parent channel that holds the TLS session), because the JDK answers "no client certificate" only by throwing
 * {@link SSLPeerUnverifiedException}, and Spring's {@code getSslInfo()} would throw and fill in a stack trace on
 * every request of a connection without one. Client-initiated renegotiation is refused
 * ({@code GatewayApplication}), so a connection's certificate cannot change under the cache.
 */
public final class ConnectionTls {

    private static final AttributeKey<ConnectionTls> KEY = AttributeKey.valueOf(ConnectionTls.class.getName());

    private final @Nullable String protocol;
    private final @Nullable X509Certificate clientCertificate;
    private final SslInfo sslInfo;

    private ConnectionTls(@Nullable String protocol, @Nullable String sessionId, X509Certificate @Nullable [] chain) {
        this.protocol = protocol;
        this.clientCertificate = chain == null || chain.length == 0 ? null : chain[0];
        this.sslInfo = new ConnectionSslInfo(sessionId, chain);
    }

    /** "TLSv1.3" or "TLSv1.2"; null only when the server is not Netty and the protocol cannot be read. */
    public @Nullable String protocol() {
        return protocol;
    }

    /** The client certificate the handshake verified against the device CA, or null when none was presented. */
    public @Nullable X509Certificate clientCertificate() {
        return clientCertificate;
    }

    /** Spring's view of the same facts, for a copy of the request. */
    public SslInfo sslInfo() {
        return sslInfo;
    }

    /**
     * {@code request.mutate()} that does not ask the JDK again: Spring's copy reads the original's
     * {@code getSslInfo()} unless it is given one, and on a connection without a client certificate that throws
     * (and fills in a stack trace) inside the JDK on every copy.
     */
    public static ServerHttpRequest.Builder mutate(ServerHttpRequest request) {
        ServerHttpRequest.Builder builder = request.mutate();
        ConnectionTls tls = of(request);
        return tls == null ? builder : builder.sslInfo(tls.sslInfo);
    }

    /** The TLS facts of the request's connection, or null for a plain-HTTP connection. */
    public static @Nullable ConnectionTls of(ServerHttpRequest request) {
        if (!(nativeRequest(request) instanceof Connection connection)) {
            return fromSslInfo(request.getSslInfo());
        }
        for (Channel channel = connection.channel(); channel != null; channel = channel.parent()) {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl != null) {
                Attribute<ConnectionTls> cached = channel.attr(KEY);
                ConnectionTls tls = cached.get();
                if (tls == null) {
                    tls = read(ssl.engine().getSession());
                    cached.set(tls);
                }
                return tls;
            }
        }
        return null;
    }

    private static @Nullable Object nativeRequest(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request);
        } catch (IllegalStateException e) {
            return null; // a mock request (unit tests) has no server behind it
        }
    }

    /** True when the request came over TLS. */
    public static boolean secure(ServerHttpRequest request) {
        return of(request) != null;
    }

    private static ConnectionTls read(SSLSession session) {
        X509Certificate[] chain = null;
        try {
            Certificate[] peer = session.getPeerCertificates();
            chain = Arrays.stream(peer).filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate on this connection: no device
        }
        return new ConnectionTls(session.getProtocol(), HexFormat.of().formatHex(session.getId()), chain);
    }

    /** Outside Netty (e.g. a mock request in a unit test): Spring's view, without the protocol. */
    private static @Nullable ConnectionTls fromSslInfo(@Nullable SslInfo ssl) {
        if (ssl == null) {
            return null;
        }
        return new ConnectionTls(null, ssl.getSessionId(), ssl.getPeerCertificates());
    }

    private record ConnectionSslInfo(@Nullable String sessionId, X509Certificate @Nullable [] peerCertificates)
            implements SslInfo {

        @Override
        public @Nullable String getSessionId() {
            return sessionId;
        }

        @Override
        public X509Certificate @Nullable [] getPeerCertificates() {
            return peerCertificates == null ? null : peerCertificates.clone();
        }
    }
}
