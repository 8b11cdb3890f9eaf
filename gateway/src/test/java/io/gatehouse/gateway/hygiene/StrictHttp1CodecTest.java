package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StrictHttp1Codec} on an embedded channel: the two framings it refuses, and for everything else the same
 * messages and bytes as Netty's {@link HttpServerCodec}.
 */
class StrictHttp1CodecTest {

    private static EmbeddedChannel strict() {
        StrictHttp1Codec codec = new StrictHttp1Codec(new HttpDecoderConfig());
        return new EmbeddedChannel(codec.encoder(), codec.decoder());
    }

    private static List<Object> decode(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(RawHttp.bytes(bytes)));
        List<Object> out = new ArrayList<>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            out.add(message);
        }
        channel.finishAndReleaseAll();
        return out;
    }

    /** Each decoded message as text: its kind, request line and headers or content, and the decoder's verdict. */
    private static List<String> describe(List<Object> messages) {
        List<String> out = new ArrayList<>();
        for (Object message : messages) {
            StringBuilder text = new StringBuilder(message.getClass().getSimpleName());
            if (message instanceof HttpRequest request) {
                text.append(' ').append(request.method()).append(' ').append(request.uri()).append(' ')
                        .append(request.protocolVersion()).append(' ').append(request.headers().entries());
            }
            if (message instanceof HttpContent content) {
                text.append(' ').append(content.content().toString(StandardCharsets.ISO_8859_1));
            }
            if (message instanceof LastHttpContent last) {
                text.append(" trailers ").append(last.trailingHeaders().entries());
            }
            text.append(' ').append(((DecoderResultProvider) message).decoderResult());
            out.add(text.toString());
            ReferenceCountUtil.release(message);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 5\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding: chunked\r\nContent-Length: 5", "content-length: 0\r\ntransfer-encoding: CHUNKED",
            "Content-Length: 5\r\nTransfer-Encoding: gzip, chunked"})
    void decodeWhenContentLengthAndChunkedThenFailsAndReadsNothingAfter(String framing) {
        List<Object> out = decode(strict(), "POST /x HTTP/1.1\r\nHost: a\r\n"
                + framing + "\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(out).hasSize(1);
        HttpRequest request = (HttpRequest) out.get(0);
        assertThat(request.uri()).isEqualTo("/x");
        assertThat(request.decoderResult().isFailure()).isTrue();
        assertThat(request.decoderResult().cause())
                .hasMessageStartingWith("both Content-Length and Transfer-Encoding");
    }

    @Test
    void decodeWhenHttp10WithContentLengthAndChunkedThenLeftToTheHygieneStage() {
        List<String> out = describe(decode(strict(),
                "POST /x HTTP/1.0\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));

        assertThat(out.get(0)).contains("Content-Length=5", "Transfer-Encoding=chunked").endsWith("success");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET\t/x HTTP/1.1", "GET /x\tHTTP/1.1", "GET  /x HTTP/1.1", "GET /x  HTTP/1.1",
            "GET /x\u000bHTTP/1.1", "GET /x\fHTTP/1.1", "GET /x\rHTTP/1.1", "GET\t/x\tHTTP/1.1", "GET /x\t HTTP/1.1"})
    void decodeWhenRequestLineNotSplitBySingleSpacesThenFailsAndReadsNothingAfter(String requestLine) {
        List<Object> out = decode(strict(),
                requestLine + "\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(out).hasSize(1);
        assertThat(((DecoderResultProvider) out.get(0)).decoderResult().cause())
                .hasMessageContaining("separated by one SP");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /x?a=b HTTP/1.1\r\nHost: a\r\n\r\n",
            "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX-Tab:\tv\tw\r\n\r\n",
            "GET https://a/x HTTP/1.1\r\nHost: a\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde",
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nT: v\r\n\r\n",
            "POST /x HTTP/1.0\r\nContent-Length: 2\r\n\r\nokHEAD /y HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET /x HTTP/1.1\r\nBad Header: a\r\n\r\n",
            "GET /x HTP/1.1\r\nHost: a\r\n\r\n"})
    void decodeWhenRequestLineAndFramingAreCleanOrOtherwiseBadThenSameAsHttpServerCodec(String bytes) {
        List<Object> strict = decode(strict(), bytes);
        for (Object message : strict) {
            // the one addition: a failed request names its finding for the decision log (tested below)
            if (message instanceof HttpRequest request && request.decoderResult().isFailure()) {
                assertThat(request.headers().get(DecoderRefusal.HEADER))
                        .isEqualTo(request.decoderResult().cause().getMessage());
                request.headers().remove(DecoderRefusal.HEADER);
            }
        }
        assertThat(describe(strict)).isEqualTo(describe(decode(new EmbeddedChannel(new HttpServerCodec()), bytes)));
    }

    @Test
    void decodeWhenFailedThenRefusalHeaderNamesTheFindingAndReplacesTheClients() {
        List<Object> out = decode(strict(), "POST /x HTTP/1.1\r\nHost: a\r\n" + DecoderRefusal.HEADER
                + ": forged\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");

        HttpRequest request = (HttpRequest) out.get(0);
        assertThat(request.headers().getAll(DecoderRefusal.HEADER)).singleElement().asString()
                .startsWith("both Content-Length and Transfer-Encoding: Content-Length [5]");
        ReferenceCountUtil.release(request);
    }

    @Test
    void describeWhenMessageHasControlBytesOrIsLongThenPrintableAndBounded() {
        assertThat(DecoderRefusal.describe(new IllegalArgumentException("bad \r\n\u0000 byte \u00e9")))
                .isEqualTo("bad ??? byte ?");
        assertThat(DecoderRefusal.describe(new IllegalArgumentException("x".repeat(500)))).hasSize(200);
        assertThat(DecoderRefusal.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    /** Writes requests in, then the given responses out, and returns the bytes the codec encoded; then closes. */
    private static String exchange(EmbeddedChannel channel, String requests, Object... responses) {
        String out = exchangeKeepingOpen(channel, requests, responses);
        channel.finishAndReleaseAll();
        return out;
    }

    private static Object[] responses() {
        DefaultFullHttpResponse full = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        full.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
        DefaultHttpResponse chunked = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        chunked.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        HttpContent content = new DefaultHttpContent(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        return new Object[] {full, chunked, content, LastHttpContent.EMPTY_LAST_CONTENT};
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "CONNECT", "POST"})
    void encodeWhenAnsweringThenSameBytesAsHttpServerCodec(String method) {
        String target = method.equals("CONNECT") ? "a:443" : "/x";
        String requests = (method + " " + target + " HTTP/1.1\r\nHost: a\r\n\r\n").repeat(2);

        String strict = exchange(strict(), requests, responses());
        String netty = exchange(new EmbeddedChannel(new HttpServerCodec()), requests, responses());

        assertThat(strict).isEqualTo(netty);
    }

    /** A HEAD answer ends at its blank line (RFC 9112, 6.3); Transfer-Encoding in it would only claim a chunked GET. */
    @Test
    void encodeWhenAnsweringHeadThenNoBodyNoTransferEncodingAndOtherwiseSameBytesAsHttpServerCodec() {
        String requests = "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n".repeat(2);

        String strict = exchange(strict(), requests, responses());
        String netty = exchange(new EmbeddedChannel(new HttpServerCodec()), requests, responses());

        assertThat(netty).contains("transfer-encoding: chunked\r\n");
        assertThat(strict).isEqualTo(netty.replace("transfer-encoding: chunked\r\n", ""))
                .isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nHTTP/1.1 200 OK\r\n\r\n");
    }

    /**
     * A 100 Continue is not the answer to its request (RFC 9110, 15.2): the next answer is still the POST's, with its
     * body, and the one after it the pipelined HEAD's, without. Netty's codec gives the POST's answer to the HEAD.
     */
    @Test
    void encodeWhenContinueBeforeTheAnswerThenPipelinedAnswersStayWithTheirRequests() {
        String requests = "POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok"
                + "HEAD /y HTTP/1.1\r\nHost: a\r\n\r\n";
        Object[] answers = Stream.concat(Stream.of(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.CONTINUE)), Stream.of(responses())).toArray();

        String strict = exchange(strict(), requests, answers);

        assertThat(strict).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello" + "HTTP/1.1 200 OK\r\n\r\n");
    }

    /**
     * Chunked framing is HTTP/1.1's (RFC 9112, 6.1): to an HTTP/1.0 request the chunked answer goes out unframed,
     * ended by the connection's close, and the sized one as it is. Netty's codec sends the chunk sizes.
     */
    @Test
    void encodeWhenAnsweringHttp10ThenNeverChunked() {
        String requests = "GET /x HTTP/1.0\r\nHost: a\r\n\r\n".repeat(2);

        String strict = exchange(strict(), requests, responses());
        String netty = exchange(new EmbeddedChannel(new HttpServerCodec()), requests, responses());

        assertThat(netty).endsWith("transfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(strict).isEqualTo("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
                + "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nabc");
    }

    /** The close ends the unframed answer, also when the whole answer comes as one message. */
    @Test
    void encodeWhenHttp10AnswerLostItsChunkedFramingThenConnectionClosedAfterIt() {
        DefaultFullHttpResponse whole = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        whole.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        EmbeddedChannel sized = strict();
        EmbeddedChannel streamed = strict();
        EmbeddedChannel full = strict();

        exchangeKeepingOpen(sized, "GET /x HTTP/1.0\r\nHost: a\r\n\r\n", responses()[0]);
        exchangeKeepingOpen(streamed, "GET /x HTTP/1.0\r\nHost: a\r\n\r\n", responses()[1], responses()[2],
                LastHttpContent.EMPTY_LAST_CONTENT);
        String fullBytes = exchangeKeepingOpen(full, "GET /x HTTP/1.0\r\nHost: a\r\n\r\n", whole);

        assertThat(sized.isOpen()).as("a sized answer needs no close from the codec").isTrue();
        assertThat(streamed.isOpen()).isFalse();
        assertThat(full.isOpen()).isFalse();
        assertThat(fullBytes).isEqualTo("HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nabc");
        sized.finishAndReleaseAll();
    }

    /** As {@link #exchange}, leaving the channel as the codec left it. */
    private static String exchangeKeepingOpen(EmbeddedChannel channel, String requests, Object... responses) {
        channel.writeInbound(Unpooled.copiedBuffer(RawHttp.bytes(requests)));
        for (Object decoded; (decoded = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(decoded);
        }
        for (Object response : responses) {
            channel.writeOutbound(response);
        }
        StringBuilder out = new StringBuilder();
        for (ByteBuf encoded; (encoded = channel.readOutbound()) != null; ) {
            out.append(encoded.toString(StandardCharsets.ISO_8859_1));
            encoded.release();
        }
        return out.toString();
    }
}
