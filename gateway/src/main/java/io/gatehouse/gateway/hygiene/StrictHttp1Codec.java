package io.gatehouse.gateway.hygiene;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import org.jspecify.annotations.Nullable;

/**
 * Netty's {@link HttpServerCodec} with a stricter request decoder, for the gateway's HTTP/1.1 connections (docs/design.md,
 * "Failure behaviour": an ambiguous request gets 400 and never reaches the upstream). Two requests that Netty alone
 * accepts, and that a front proxy could read differently from the gateway (request smuggling), fail in the decoder:
 * <ul>
 *   <li>HTTP/1.1 with both Content-Length and {@code Transfer-Encoding: chunked}: Netty would drop Content-Length and
 *       read the body as chunked (RFC 9112, 6.1 allows that or an error); here it is an error;</li>
 *   <li>a request line whose method, target and version are not separated by exactly one SP each: Netty would also
 *       split on HTAB, VT, FF, a bare CR or a run of whitespace (RFC 9112, 3, lenient parsing).</li>
 * </ul>
 * A failed message is what Netty produces for any malformed request: the decoder drops every later byte of the
 * connection (so nothing smuggled after it is ever read as a request), Reactor Netty answers 400 and closes, no
 * WebFilter runs, and the decision log gets its line from the decoder-rejection hook.
 *
 * <p>The encoder differs from Netty's in three points: a HEAD answer goes without Transfer-Encoding, which Reactor
 * Netty sets on every answer without Content-Length and so claims a chunked GET the upstream may not send (RFC 9112,
 * 6.1); a 1xx answer does not use up its request's method, so the final answers of pipelined requests stay paired
 * with their own requests; and an answer to HTTP/1.0 is never chunked, but ends at the connection's close.
 * Everything else is HttpServerCodec's own behaviour, repeated here because its decoder is private: the encoder
 * learns each request's method, so a HEAD answer has no body and a CONNECT 2xx no Transfer-Encoding
 * ({@code StrictHttp1CodecTest} runs both on the same clean traffic). The two halves go into the
 * pipeline as two handlers, Netty's other standard layout, because Netty's WebSocket handshake finds the codec by
 * class and knows only HttpServerCodec or a separate {@link HttpRequestDecoder} and {@link HttpResponseEncoder}.
 * One instance per connection; not thread-safe, like every codec.
 */
final class StrictHttp1Codec {

    /** The pipeline name of the encoder; the decoder takes the name of the codec it replaces. */
    static final String ENCODER = "gatehouse.httpResponseEncoder";

    /** The requests decoded and not yet answered, oldest first. */
    private final Queue<Asked> asked = new ArrayDeque<>();
    private final HttpRequestDecoder decoder;
    private final HttpResponseEncoder encoder;

    StrictHttp1Codec(HttpDecoderConfig config) {
        Objects.requireNonNull(config, "config");
        this.decoder = new StrictRequestDecoder(config);
        this.encoder = new MethodAwareResponseEncoder();
    }

    HttpRequestDecoder decoder() {
        return decoder;
    }

    HttpResponseEncoder encoder() {
        return encoder;
    }

    /**
     * Puts the decoder in place of the handler named {@code name} and the encoder just before it (towards the
     * network), where a WebSocket handshake puts its own encoder: outbound frames then pass the handlers Reactor
     * Netty anchors on {@code name} (WebSocket compression) before they are encoded.
     */
    void replace(ChannelPipeline pipeline, String name) {
        pipeline.replace(name, name, decoder);
        pipeline.addBefore(name, ENCODER, encoder);
    }

    private final class StrictRequestDecoder extends HttpRequestDecoder {

        /** Where the method and the target of the request line being split end (array indexes, exclusive). */
        private int methodEnd;
        private int targetEnd;

        StrictRequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (out.get(i) instanceof HttpRequest request) {
                    if (request.decoderResult().isFailure()) {
                        request.headers().set(DecoderRefusal.HEADER,
                                DecoderRefusal.describe(request.decoderResult().cause()));
                    }
                    asked.add(new Asked(request.method(), HttpVersion.HTTP_1_0.equals(request.protocolVersion())));
                }
            }
        }

        /**
         * Netty calls this while reading the headers; what it throws fails the message and drops the rest of the
         * connection's bytes. Dropping Content-Length instead would leave the gateway reading the body as chunked
         * while a front proxy may have read it by its length, and then the bytes after the chunked end as the next
         * request.
         */
        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new IllegalArgumentException(RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING.title()
                    + ": Content-Length " + message.headers().getAll(HttpHeaderNames.CONTENT_LENGTH)
                    + ", Transfer-Encoding " + message.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING));
        }

        // Netty splits the request line and hands each word over in order, with the whole line's bytes: what lies
        // between two words is exactly what Netty took for a separator.
        @Override
        protected String splitFirstWordInitialLine(byte[] line, int start, int length) {
            methodEnd = start + length;
            return super.splitFirstWordInitialLine(line, start, length);
        }

        @Override
        protected String splitSecondWordInitialLine(byte[] line, int start, int length) {
            requireOneSpace(line, methodEnd, start);
            targetEnd = start + length;
            return super.splitSecondWordInitialLine(line, start, length);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
            requireOneSpace(line, targetEnd, start);
            return super.splitThirdWordInitialLine(line, start, length);
        }

        private static void requireOneSpace(byte[] line, int from, int to) {
            if (to != from + 1 || line[from] != ' ') {
                StringBuilder found = new StringBuilder();
                for (int i = from; i < to && i < from + 8; i++) {
                    found.append(String.format("\\x%02X", line[i] & 0xff));
                }
                throw new IllegalArgumentException("request line parts must be separated by one SP, found \""
                        + found + "\"");
            }
        }
    }

    /** What the encoder needs to know of a request to frame its answer. */
    private record Asked(HttpMethod method, boolean http10) {
    }

    private final class MethodAwareResponseEncoder extends HttpResponseEncoder {

        private @Nullable HttpMethod method;
        /** The answer being written lost its chunked framing: it ends where the connection closes. */
        private boolean closeAfterAnswer;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            super.write(ctx, msg, promise); // encodes: isContentAlwaysEmpty may set closeAfterAnswer
            if (closeAfterAnswer && msg instanceof LastHttpContent) {
                closeAfterAnswer = false;
                // The close is this answer's end: once everything before it is on the wire.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            if (HttpMethod.HEAD.equals(method)) {
                // A HEAD answer ends at its blank line (RFC 9112, 6.3); Transfer-Encoding in it only claims the GET
                // would be chunked, a claim that may be left out (RFC 9112, 6.1). It is never the upstream's (SCG
                // drops that as hop-by-hop) but Reactor Netty's default for any answer without Content-Length, so it
                // is often false (a Reactor Netty upstream says chunked for HEAD, Content-Length for GET), and a
                // client that reads it as a GET's waits for chunks. Removed here, below HttpTrafficHandler: an answer
                // without either header there would get Connection: close (isSelfDefinedMessageLength).
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            } else if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method)
                    && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                // A 2xx to CONNECT has no body: no Transfer-Encoding (RFC 9110, 9.3.6).
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // A 1xx (100 Continue) is not the request's answer (RFC 9110, 15.2); taking its method here would pair
                // every later answer with the request before it: a POST's body dropped after its Content-Length,
                // a HEAD answer given a chunked end. Netty's own codec has the same fault (netty/netty#17181).
                return super.isContentAlwaysEmpty(msg);
            }
            Asked request = asked.poll();
            method = request == null ? null : request.method();
            boolean empty = HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
            if (!empty && request != null && request.http10() && HttpUtil.isTransferEncodingChunked(msg)) {
                // Chunked framing is HTTP/1.1's (RFC 9112, 6.1): an HTTP/1.0 client would read the chunk sizes as
                // the body. Without it the body ends where the connection closes (RFC 9112, 6.3, rule 8), so this
                // encoder closes it after the answer (Reactor Netty would keep an HTTP/1.0 keep-alive connection).
                // Removed here, before Netty's encoder reads the header to choose its framing.
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                msg.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                closeAfterAnswer = true;
            }
            return empty;
        }
    }
}
