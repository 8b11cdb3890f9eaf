package io.gatehouse.gateway.listener;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP/1.1 request-head deadline of one connection: from the first byte of a request head to its end (the
 * decoder's {@link HttpRequest}), however slowly the bytes come, at most {@code timeout}. The clock starts at a read
 * while the connection waits for a head (not when it goes quiet between requests: that is the idle timeout) and
 * stops at the head. When it runs out the connection gets {@code 408 Request Timeout} if no answer is owed on it
 * (else an answer would be cut in two) and is closed; no request reached a WebFilter, so the decision log has no
 * line for it, and the timeout is counted instead. Two handlers share the state: one before the decoder sees the
 * bytes, one after it the decoded requests and, outbound, the answers. One instance per connection, used on its
 * event loop only.
 */
final class RequestHeadDeadline {

    private static final String BYTES = "gatehouse.requestHeadBytes";
    private static final String MESSAGES = "gatehouse.requestHeadMessages";
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutMillis;
    private final Counter timeouts;
    /** No head is being read: between requests, or a body is. */
    private boolean awaitingHead = true;
    private @Nullable ScheduledFuture<?> deadline;
    /** Requests whose final answer has not been written in full. */
    private int unanswered;

    RequestHeadDeadline(long timeoutMillis, Counter timeouts) {
        this.timeoutMillis = timeoutMillis;
        this.timeouts = timeouts;
    }

    /** Puts the two handlers around the decoder named {@code decoder}. */
    void install(ChannelPipeline pipeline, String decoder) {
        pipeline.addBefore(decoder, BYTES, new Bytes());
        pipeline.addAfter(decoder, MESSAGES, new Messages());
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (awaitingHead && deadline == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                deadline = ctx.executor().schedule(() -> expired(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        private void expired(ChannelHandlerContext ctx) {
            deadline = null;
            if (!awaitingHead || !ctx.channel().isActive()) {
                return;
            }
            timeouts.increment();
            if (unanswered == 0) {
                // Below the encoder: the answer is written as bytes, then the connection ends.
                ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }
    }

    private final class Messages extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                cancel();
                awaitingHead = false;
                unanswered++;
            }
            if (msg instanceof LastHttpContent) {
                awaitingHead = true;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                ctx.write(msg, promise); // 100 Continue: the request's answer is still to come
                return;
            }
            if (msg instanceof LastHttpContent && unanswered > 0) {
                unanswered--;
            }
            ctx.write(msg, promise);
        }
    }
}
