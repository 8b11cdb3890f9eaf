package io.gatehouse.gateway.hygiene;

import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * One raw TLS connection to the gateway that writes exact bytes ({@link RawHttp#bytes}) and reads the answers off it
 * one at a time, each framed as RFC 9112, 6.3 says for the request it answers: a HEAD answer (and 1xx, 204, 304) ends
 * at the blank line whatever its headers say, then chunked, then Content-Length, then the connection's close. So
 * several pipelined answers read apart, and a HEAD answer's Content-Length is not waited for. Every read gives up
 * after 5 s with an {@link IOException} that quotes all bytes read so far.
 */
final class ResponseReader implements AutoCloseable {

    /** One answer: status, the head (status line and headers, without the blank line) and the decoded body. */
    record Response(int status, String head, String body) {

        /** The values of every field of this name, lower-cased and trimmed, comma lists split. */
        List<String> values(String name) {
            List<String> values = new ArrayList<>();
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    for (String value : line.substring(colon + 1).split(",")) {
                        values.add(value.trim().toLowerCase(Locale.ROOT));
                    }
                }
            }
            return values;
        }
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();

    private ResponseReader(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    static ResponseReader open(DevPki pki, int port) throws IOException {
        SSLSocket socket = (SSLSocket) GatewayClient.jdkSsl(pki, null).getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        return new ResponseReader(socket);
    }

    /** Writes these bytes in one go (one TLS record for a short request), so pipelined requests arrive together. */
    void write(String requests) throws IOException {
        socket.getOutputStream().write(RawHttp.bytes(requests));
        socket.getOutputStream().flush();
    }

    /** The next answer on the connection; {@code head}: it answers a HEAD request. */
    Response next(boolean head) throws IOException {
        try {
            StringBuilder headText = new StringBuilder();
            for (String line = line(); !line.isEmpty(); line = line()) {
                headText.append(headText.isEmpty() ? "" : "\r\n").append(line);
            }
            String text = headText.toString();
            int status = Integer.parseInt(text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
            Response noBody = new Response(status, text, "");
            if (head || status / 100 == 1 || status == 204 || status == 304) {
                return noBody;
            }
            if (noBody.values("transfer-encoding").contains("chunked")) {
                return new Response(status, text, chunked());
            }
            List<String> length = noBody.values("content-length");
            String body = length.isEmpty() ? untilClosed() : fixed(Integer.parseInt(length.get(0)));
            return new Response(status, text, body);
        } catch (IOException | RuntimeException e) {
            throw new IOException("no complete answer; read so far on this connection:\n"
                    + transcript.toString(StandardCharsets.ISO_8859_1), e);
        }
    }

    /** Whether the gateway closes the connection (within 5 s) before it sends another byte. */
    boolean closedByServer() throws IOException {
        try {
            int b = in.read();
            if (b >= 0) {
                transcript.write(b);
            }
            return b < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private String chunked() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int size = chunkSize(); size > 0; size = chunkSize()) {
            body.append(fixed(size));
            line();
        }
        while (!line().isEmpty()) {
            continue; // trailer fields
        }
        return body.toString();
    }

    private int chunkSize() throws IOException {
        String line = line();
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private String fixed(int length) throws IOException {
        StringBuilder read = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            read.append((char) nextByte());
        }
        return read.toString();
    }

    private String untilClosed() throws IOException {
        StringBuilder read = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            transcript.write(b);
            read.append((char) b);
        }
        return read.toString();
    }

    /** A line without its CRLF. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = nextByte(); b != '\n'; b = nextByte()) {
            line.append((char) b);
        }
        if (line.isEmpty() || line.charAt(line.length() - 1) != '\r') {
            throw new IOException("line not ended by CRLF: " + line);
        }
        return line.substring(0, line.length() - 1);
    }

    private int nextByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("connection closed by the gateway");
        }
        transcript.write(b);
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
