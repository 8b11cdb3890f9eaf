package io.gatehouse.gateway.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
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

    private ConnectionTls(@Nullable String protocol, @Nullable X509Certificate clientCertificate) {
        this.protocol = protocol;
        this.clientCertificate = clientCertificate;
    }

    /** "TLSv1.3" or "TLSv1.2"; null only when the server is not Netty and the protocol cannot be read. */
    public @Nullable String protocol() {
        return protocol;
    }

    /** The client certificate the handshake verified against the device CA, or null when none was presented. */
    public @Nullable X509Certificate clientCertificate() {
        return clientCertificate;
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
        X509Certificate client = null;
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate first) {
                client = first;
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate on this connection: no device
        }
        return new ConnectionTls(session.getProtocol(), client);
    }

    /** Outside Netty (e.g. a mock request in a unit test): Spring's view, without the protocol. */
    private static @Nullable ConnectionTls fromSslInfo(@Nullable SslInfo ssl) {
        if (ssl == null) {
            return null;
        }
        X509Certificate[] chain = ssl.getPeerCertificates();
        return new ConnectionTls(null, chain == null || chain.length == 0 ? null : chain[0]);
    }
}
