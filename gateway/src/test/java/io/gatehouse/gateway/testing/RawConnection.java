package io.gatehouse.gateway.testing;

import io.gatehouse.testsupport.DevPki;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One raw connection to the gateway's public port for the listener tests: plain TCP (to stall before or inside
 * the TLS handshake), TLS with HTTP/1.1 bytes written exactly as given, or TLS with ALPN h2 and hand-built HTTP/2
 * frames (a well-behaved client library never leaves a request half sent). {@link #closedWithin} tells whether the
 * gateway closed the connection within a time, reading and keeping whatever it sent before.
 */
public final class RawConnection implements AutoCloseable {

    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    /** The connection's HPACK state: responses on later streams refer to fields of earlier ones. */
    private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A TCP connection and nothing else: no TLS handshake is started. */
    public static RawConnection tcp(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawConnection(socket);
    }

    /** A TLS connection, handshake done, offering only http/1.1 by ALPN. */
    public static RawConnection http11(DevPki pki, int port) throws IOException {
        return tls(pki, port, "http/1.1");
    }

    /** A TLS connection, handshake done, ALPN h2, the client preface and an empty SETTINGS frame sent. */
    public static RawConnection h2(DevPki pki, int port) throws IOException {
        RawConnection connection = tls(pki, port, "h2");
        connection.write(H2_PREFACE);
        connection.frame(0x4, 0, 0, new byte[0]);
        return connection;
    }

    /**
     * A TCP connection from {@code local} (any 127.x.y.z address is this machine's loopback on Linux, so a test can
     * be a second peer) that first writes {@code prefix} (a PROXY protocol header, or nothing) in the clear, then
     * nothing else: no TLS handshake is started.
     */
    public static RawConnection tcpFrom(InetAddress local, int port, byte[] prefix) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            RawConnection connection = new RawConnection(socket);
            if (prefix.length > 0) {
                connection.write(prefix);
            }
            return connection;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * As a load balancer speaking the PROXY protocol would: a TCP connection from {@code local}, {@code prefix}
     * written in the clear, then TLS over it offering {@code alpn} (handshake done). For h2 the client preface and
     * an empty SETTINGS frame are sent too. Throws if the gateway ends the connection before the handshake is done.
     */
    public static RawConnection proxied(DevPki pki, int port, InetAddress local, byte[] prefix, String alpn)
            throws IOException {
        RawConnection plain = tcpFrom(local, port, prefix);
        SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(pki, null).getSocketFactory()
                .createSocket(plain.socket, "127.0.0.1", port, true);
        RawConnection connection = handshake(socket, alpn);
        if (alpn.equals("h2")) {
            connection.write(H2_PREFACE);
            connection.frame(0x4, 0, 0, new byte[0]);
        }
        return connection;
    }

    private static RawConnection tls(DevPki pki, int port, String alpn) throws IOException {
        SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(pki, null).getSocketFactory()
                .createSocket("127.0.0.1", port);
        return handshake(socket, alpn);
    }

    private static RawConnection handshake(SSLSocket socket, String alpn) throws IOException {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {alpn});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        if (!alpn.equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new IOException("ALPN picked " + socket.getApplicationProtocol() + ", not " + alpn);
        }
        return new RawConnection(socket);
    }

    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One HTTP/2 frame: 24-bit length, type, flags, stream id, payload. */
    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(9 + payload.length);
        frame.write(payload.length >>> 16);
        frame.write(payload.length >>> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        frame.write(stream >>> 24 & 0x7f);
        frame.write(stream >>> 16);
        frame.write(stream >>> 8);
        frame.write(stream);
        frame.write(payload, 0, payload.length);
        write(frame.toByteArray());
    }

    /**
     * A HEADERS frame on {@code stream} with END_HEADERS, and END_STREAM when {@code endStream}: every field a
     * literal without indexing and without Huffman coding, in the order given (pseudo-headers first).
     */
    public void headers(int stream, Map<String, String> fields, boolean endStream) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        fields.forEach((name, value) -> {
            block.write(0x00);
            literal(block, name);
            literal(block, value);
        });
        frame(0x1, 0x4 | (endStream ? 0x1 : 0), stream, block.toByteArray());
    }

    private static void literal(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("literal too long for this encoder: " + text);
        }
        block.write(bytes.length);
        block.write(bytes, 0, bytes.length);
    }

    /**
     * Reads HTTP/2 frames (acknowledging the server's SETTINGS) until the response HEADERS of {@code stream}, and
     * returns its decoded fields; fails if the connection ends, the stream is reset or 10 s pass.
     */
    public Http2Headers responseHeaders(int stream) throws IOException {
        DataInputStream frames = new DataInputStream(in);
        for (int i = 0; i < 100; i++) {
            int length = frames.readUnsignedByte() << 16 | frames.readUnsignedShort();
            int type = frames.readUnsignedByte();
            int flags = frames.readUnsignedByte();
            int id = frames.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            frames.readFully(payload);
            if (type == 0x4 && (flags & 0x1) == 0) {
                frame(0x4, 0x1, 0, new byte[0]);
            } else if (type == 0x3 && id == stream) {
                throw new IOException("stream " + stream + " reset by the gateway");
            } else if (type == 0x7) {
                throw new IOException("GOAWAY from the gateway");
            } else if (type == 0x1) {
                // Decoded even on another stream: HPACK's dynamic table is the connection's, in frame order.
                ByteBuf block = Unpooled.wrappedBuffer(payload, headerBlockStart(payload, flags),
                        payload.length - headerBlockStart(payload, flags) - padding(payload, flags));
                Http2Headers decoded;
                try {
                    decoded = hpack.decodeHeaders(id, block);
                } catch (Http2Exception e) {
                    throw new IOException("undecodable response headers", e);
                }
                if (id == stream) {
                    return decoded;
                }
            }
        }
        throw new IOException("no response HEADERS on stream " + stream + " in 100 frames");
    }

    private static int padding(byte[] payload, int flags) {
        return (flags & 0x8) != 0 ? payload[0] & 0xff : 0;
    }

    private static int headerBlockStart(byte[] payload, int flags) {
        return ((flags & 0x8) != 0 ? 1 : 0) + ((flags & 0x20) != 0 ? 5 : 0);
    }

    /**
     * Whether the gateway closed the connection (end of stream, a reset or a TLS alert) within {@code limit},
     * reading and keeping every byte it sent until then ({@link #received()}). False when the limit passed first.
     */
    public boolean closedWithin(Duration limit) throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return true;
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SSLException | EOFException e) {
                return true;
            } catch (IOException e) {
                if (socket.isClosed()) {
                    throw e;
                }
                return true; // connection reset
            }
        }
    }

    /** Everything read by {@link #closedWithin}, as ISO-8859-1 text. */
    public String received() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
