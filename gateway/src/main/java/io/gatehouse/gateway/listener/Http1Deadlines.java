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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The deadlines of one HTTP/1.1 connection that no WebFilter can see:
 * <ul>
 *   <li>the request head: from its first byte to its end (the decoder's {@link HttpRequest}), however slowly the
 *       bytes come, at most {@code header-read-timeout}. The clock starts at a read while the connection waits for
 *       a head (not when it goes quiet between requests: that is the idle timeout) and stops at the head. When it
 *       runs out the connection gets {@code 408 Request Timeout} if no answer is owed on it (else an answer would
 *       be cut in two) and is closed. No request reached a WebFilter, so the decision log has no line for it;</li>
 *   <li>a request body nobody reads: {@code body-timeout} after the head, if the body has not ended and the
 *       request's answer has gone out (a request answered without its body, such as a 404 or a login redirect),
 *       the connection is closed: Reactor Netty would drop the trickling rest for as long as it came. If the answer
 *       is still owed, a stage is reading the body and {@link RequestBodyTimeouts} answers 408 at that moment; this
 *       closes the connection {@link #GRACE_MILLIS} later if that did not happen.</li>
 * </ul>
 * Neither runs once the connection switched protocols (101, a WebSocket): its bytes are no HTTP requests any more.
 * Each is counted in {@code gatehouse_listener_timeouts_total{phase}}. Two handlers share the state: one before the
 * decoder sees the bytes, one after it the decoded requests and, outbound, the answers. One instance per
 * connection, used on its event loop only.
 */
final class Http1Deadlines {

    static final long GRACE_MILLIS = 1_000;
    private static final String BYTES = "gatehouse.http1DeadlineBytes";
    private static final String MESSAGES = "gatehouse.http1DeadlineMessages";
    private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long headerMillis;
    private final long bodyMillis;
    private final Counter headerTimeouts;
    private final Counter bodyTimeouts;
    /** No head or body is being read: between requests. */
    private boolean awaitingHead = true;
    /** When the first byte of the head being read came ({@link System#nanoTime()}), 0 when none is being read. */
    private long headStarted;
    /** When the head of the request whose body is being read came, 0 when no body is being read. */
    private long bodyStarted;
    private @Nullable ScheduledFuture<?> headDeadline;
    private @Nullable ScheduledFuture<?> bodyDeadline;
    /** Requests whose final answer has not been written in full. */
    private int unanswered;
    /** Switched to another protocol (101, a WebSocket): no more HTTP/1.1 on this connection. */
    private boolean upgraded;

    Http1Deadlines(long headerMillis, long bodyMillis, Counter headerTimeouts, Counter bodyTimeouts) {
        this.headerMillis = headerMillis;
        this.bodyMillis = bodyMillis;
        this.headerTimeouts = headerTimeouts;
        this.bodyTimeouts = bodyTimeouts;
    }

    /** Puts the two handlers around the decoder named {@code decoder}. */
    void install(ChannelPipeline pipeline, String decoder) {
        pipeline.addBefore(decoder, BYTES, new Bytes());
        pipeline.addAfter(decoder, MESSAGES, new Messages());
    }

    private static @Nullable ScheduledFuture<?> cancel(@Nullable ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        return null;
    }

    private final class Bytes extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (awaitingHead && !upgraded && headStarted == 0 && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                headStarted = System.nanoTime();
            }
            ctx.fireChannelRead(msg);
        }

        /**
         * The decoder has handled every byte of this read by now. A clock is set only if a head or body is still
         * incomplete after it: most requests arrive whole in one read and never schedule a task.
         */
        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!upgraded && awaitingHead && headStarted != 0 && headDeadline == null) {
                headDeadline = ctx.executor().schedule(() -> headExpired(ctx), left(headStarted, headerMillis),
                        TimeUnit.NANOSECONDS);
            } else if (!upgraded && !awaitingHead && bodyStarted != 0 && bodyDeadline == null) {
                bodyDeadline = ctx.executor().schedule(() -> bodyExpired(ctx, false), left(bodyStarted, bodyMillis),
                        TimeUnit.NANOSECONDS);
            }
            ctx.fireChannelReadComplete();
        }

        private static long left(long started, long limitMillis) {
            return Math.max(0, started + TimeUnit.MILLISECONDS.toNanos(limitMillis) - System.nanoTime());
        }

        private void headExpired(ChannelHandlerContext ctx) {
            headDeadline = null;
            if (!awaitingHead || upgraded || !ctx.channel().isActive()) {
                return;
            }
            headerTimeouts.increment();
            if (unanswered == 0) {
                // Below the encoder: the answer is written as bytes, then the connection ends.
                ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        private void bodyExpired(ChannelHandlerContext ctx, boolean graceOver) {
            bodyDeadline = null;
            if (awaitingHead || upgraded || !ctx.channel().isActive()) {
                return;
            }
            if (unanswered > 0 && !graceOver) {
                bodyDeadline = ctx.executor().schedule(() -> bodyExpired(ctx, true), GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
                return;
            }
            bodyTimeouts.increment();
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            headDeadline = cancel(headDeadline);
            bodyDeadline = cancel(bodyDeadline);
            ctx.fireChannelInactive();
        }
    }

    private final class Messages extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                headStarted = 0;
                headDeadline = cancel(headDeadline);
                awaitingHead = false;
                unanswered++;
                bodyStarted = System.nanoTime();
            }
            if (msg instanceof LastHttpContent) {
                awaitingHead = true;
                bodyStarted = 0;
                bodyDeadline = cancel(bodyDeadline);
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            boolean informational = msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (msg instanceof HttpResponse response
                    && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                upgraded = true;
                headDeadline = cancel(headDeadline);
                bodyDeadline = cancel(bodyDeadline);
            }
            // A 100 Continue is not the request's answer: that is still to come.
            if (!informational && msg instanceof LastHttpContent && unanswered > 0) {
                unanswered--;
            }
            ctx.write(msg, promise);
        }
    }
}
