package io.gatehouse.gateway.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout ({@code server.netty.idle-timeout}) of an HTTP/2 connection: closed once it has had no open
 * stream and no read or write for that long. In place of Reactor Netty's own, which counts reads alone and so
 * closes a connection whose client waits, sending nothing, for a slow upstream or a long stream of events. A stream
 * whose client is slow is bounded by the request-body timeouts instead, a slow upstream by the forward response
 * timeout. HTTP/1.1 keeps Reactor Netty's, which it takes off the connection while a request is in progress.
 */
final class Http2IdleTimeout extends IdleStateHandler {

    private final Http2Connection connection;

    Http2IdleTimeout(long idleMillis, Http2Connection connection) {
        super(0, 0, idleMillis, TimeUnit.MILLISECONDS);
        this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        if (event.state() == IdleState.ALL_IDLE && connection.numActiveStreams() == 0) {
            ctx.close();
        }
    }
}
