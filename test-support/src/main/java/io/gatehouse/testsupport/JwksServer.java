package io.gatehouse.testsupport;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JWKS endpoint on 127.0.0.1 (random port) that a test can publish keys on, rotate, break and count: the
 * keys of an IdP ({@link TestIssuer} serves its JWKS with it) or of the gateway's assertion signer (at
 * {@code /.well-known/gatehouse/jwks.json}). Only public halves are served. Further paths (an IdP's discovery and
 * token endpoints) can be added with {@link #route(String, HttpHandler)}. It runs on a {@link StubServer}: another
 * address, a fixed port or TLS with {@link #start(String, StubServer.Binding)}, and {@link #stop()}/{@link #resume()}
 * on the same port. Requests are handled on at most {@value #HANDLER_THREADS} threads, so a test can hold some
 * answers while others go on. Close it after the test.
 */
public final class JwksServer implements AutoCloseable {

    /** Requests handled at once; enough for the concurrency tests, bounded so a runaway client cannot grow it. */
    public static final int HANDLER_THREADS = StubServer.HANDLER_THREADS;

    private final StubServer server;
    private final String jwksPath;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String body = "{\"keys\":[]}";
    private volatile int status = 200;

    private JwksServer(String jwksPath, StubServer.Binding binding) {
        this.jwksPath = Objects.requireNonNull(jwksPath, "jwksPath");
        server = StubServer.start(binding);
        server.route(jwksPath, exchange -> {
            requests.incrementAndGet();
            StubServer.respond(exchange, status, "application/jwk-set+json", body);
        });
    }

    /** Starts a server on 127.0.0.1 (free port) answering {@code jwksPath} with an empty key set until {@link #publish}. */
    public static JwksServer start(String jwksPath) {
        return start(jwksPath, StubServer.Binding.loopback());
    }

    /** As {@link #start(String)}, at {@code binding} (address, port, TLS). */
    public static JwksServer start(String jwksPath, StubServer.Binding binding) {
        return new JwksServer(jwksPath, binding);
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
        server.route(path, handler);
        return this;
    }

    /** {@code http(s)://HOST:PORT}: an issuer URL, or the base of {@link #jwksUri()}. */
    public String issuer() {
        return server.base();
    }

    public URI jwksUri() {
        return URI.create(issuer() + jwksPath);
    }

    public int port() {
        return server.port();
    }

    /** How many times the key set was asked for (failed answers included). */
    public int requests() {
        return requests.get();
    }

    /** Stops serving: the port refuses connections (keys and every route gone) until {@link #resume()}. */
    public void stop() {
        server.stop();
    }

    /** Serves again on the same port, the same keys and routes. */
    public void resume() {
        server.resume();
    }

    @Override
    public void close() {
        server.close();
    }
}
