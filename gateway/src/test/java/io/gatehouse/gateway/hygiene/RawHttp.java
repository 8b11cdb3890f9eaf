package io.gatehouse.gateway.hygiene;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * Writes exact bytes over TLS to the gateway and reads one response: status line, headers and a Content-Length
 * (or chunked, up to the end marker) body, or whatever came before the server closed or 5 s passed. For requests
 * that a well-behaved client library refuses to send. {@link #sendUntilClosed} reads on until the server closes the
 * connection (or 5 s pass), for tests about what else the server answers on the same connection and whether it closes;
 * {@link #open} keeps one connection for several requests in turn. It frames a response by its headers alone, so it
 * waits out the 5 s on the answer to a HEAD with a Content-Length: use {@link ResponseReader} for HEAD.
 */
final class RawHttp {

    record Response(int status, String head, String text, boolean closed) {
        static Response none(String text) {
            return new Response(0, "", text, true);
        }
    }

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private RawHttp() {
    }

    static Response send(DevPki pki, int port, String request) {
        return send(pki, port, request, false);
    }

    /** Every byte the server sends until it closes; {@link Response#closed()} is false when 5 s passed first. */
    static Response sendUntilClosed(DevPki pki, int port, String request) {
        return send(pki, port, request, true);
    }

    private static Response send(DevPki pki, int port, String request, boolean untilClosed) {
        try (SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(pki, null).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes(request));
            out.flush();
            return read(socket.getInputStream(), untilClosed);
        } catch (IOException e) {
            return Response.none(e.toString());
        }
    }

    /** One kept-alive TLS connection: {@link #exchange} writes a request and reads its response before the next. */
    static final class Connection implements AutoCloseable {

        private final SSLSocket socket;

        private Connection(SSLSocket socket) {
            this.socket = socket;
        }

        Response exchange(String request) throws IOException {
            socket.getOutputStream().write(bytes(request));
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), false);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static Connection open(DevPki pki, int port) throws IOException {
        SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(pki, null).getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return new Connection(socket);
    }

    /** Characters up to U+00FF are single bytes (the corpus' {@code \x01} escapes); anything above is UTF-8. */
    static byte[] bytes(String request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(request.length());
        for (int i = 0; i < request.length(); i++) {
            char c = request.charAt(i);
            if (c <= 0xff) {
                out.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
            }
        }
        return out.toByteArray();
    }

    private static Response read(InputStream in, boolean untilClosed) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        boolean closed = false;
        try {
            for (int n; ; ) {
                n = in.read(buffer);
                if (n < 0) {
                    closed = true;
                    break;
                }
                read.write(buffer, 0, n);
                if (!untilClosed && complete(read.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException | javax.net.ssl.SSLException e) {
            closed = e instanceof javax.net.ssl.SSLException;
        }
        String text = read.toString(StandardCharsets.ISO_8859_1);
        Matcher status = STATUS.matcher(text);
        int end = text.indexOf("\r\n\r\n");
        return new Response(status.find() ? Integer.parseInt(status.group(1)) : 0,
                end < 0 ? text : text.substring(0, end), text, closed);
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end);
        Matcher length = LENGTH.matcher(head);
        if (length.find()) {
            return text.length() - end - 4 >= Integer.parseInt(length.group(1));
        }
        if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
        }
        return false; // no framing: read until close or timeout
    }
}
