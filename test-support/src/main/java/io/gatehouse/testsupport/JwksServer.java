package io.gatehouse.testsupport;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JWKS endpoint on 127.0.0.1 (random port) that a test can publish keys on, rotate, break and count: the
 * keys of an IdP ({@link TestIssuer} serves its JWKS with it) or of the gateway's assertion signer (at
 * {@code /.well-known/gatehouse/jwks.json}). Only public halves are served. Further paths (an IdP's discovery and
 * token endpoints) can be added with {@link #route(String, HttpHandler)}. Requests are handled on at most
 * {@value #HANDLER_THREADS} threads, so a test can hold some answers while others go on. Close it after the test.
 */
public final class JwksServer implements AutoCloseable {

    /** Requests handled at once; enough for the concurrency tests, bounded so a runaway client cannot grow it. */
    public static final int HANDLER_THREADS = 16;

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS);
    private final String jwksPath;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String body = "{\"keys\":[]}";
    private volatile int status = 200;

    private JwksServer(String jwksPath) throws IOException {
        this.jwksPath = Objects.requireNonNull(jwksPath, "jwksPath");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(jwksPath, exchange -> {
            requests.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(handlers);
        server.start();
    }

    /** Starts a server answering {@code jwksPath} with an empty key set until {@link #publish} is called. */
    public static JwksServer start(String jwksPath) {
        try {
            return new JwksServer(jwksPath);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves the public halves of {@code keys} from now on (200), ending a {@link #failWith}. */
    public JwksServer publish(JWKSet keys) {
        body = keys.toPublicJWKSet().toString();
        status = 200;
        return this;
    }

    /** Answers {@code httpStatus} with a small JSON error from now on, until the next {@link #publish}. */
    public JwksServer failWith(int httpStatus) {
        body = "{\"error\":\"down\"}";
        status = httpStatus;
        return this;
    }

    /** Serves {@code handler} at {@code path} too (longest prefix wins, as in the JDK server). */
    public JwksServer route(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    /** {@code http://127.0.0.1:PORT}: an issuer URL, or the base of {@link #jwksUri()}. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public URI jwksUri() {
        return URI.create(issuer() + jwksPath);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How many times the key set was asked for (failed answers included). */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
