package io.gatehouse.gateway.decisionlog;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;

/** Facts about a request that the framework knows but does not hand out directly: the TLS version. */
final class RequestFacts {

    private RequestFacts() {
    }

    /** "TLSv1.3", "TLSv1.2", or null for a plain connection; for HTTP/2 the TLS session is on the parent channel. */
    static @Nullable String tlsProtocol(ServerHttpRequest request) {
        if (request.getSslInfo() == null) {
            return null;
        }
        Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        if (!(nativeRequest instanceof Connection connection)) {
            return null;
        }
        for (Channel channel = connection.channel(); channel != null; channel = channel.parent()) {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl != null) {
                return ssl.engine().getSession().getProtocol();
            }
        }
        return null;
    }
}
