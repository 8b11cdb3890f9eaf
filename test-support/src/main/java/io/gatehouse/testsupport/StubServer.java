package io.gatehouse.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP plumbing of every stand-in server the tests start (an IdP, a JWKS endpoint, an upstream, a stand-in
 * inventory): a JDK HTTP(S) server on a loopback address that keeps its routes and its port across
 * {@link #stop()}/{@link #resume()}, so a test can take a dependency away and bring it back where its clients expect
 * it. Requests are handled on at most {@value #HANDLER_THREADS} threads unless the test asks for more. Also the small helpers those handlers
 * share: {@link #respond}, {@link #form} and {@link #basicCredentials}. Close it after the test.
 */
public final class StubServer implements AutoCloseable {

    /** Requests handled at once; enough for the concurrency tests, bounded so a runaway client cannot grow it. */
    public static final int HANDLER_THREADS = 16;

    /** Where to listen: a loopback address, a port (0: a free one, kept across restarts) and TLS if not null. */
    public record Binding(String host, int port, @Nullable SSLContext tls) {

        public Binding {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** Plain HTTP on 127.0.0.1, a free port. */
        public static Binding loopback() {
            return new Binding("127.0.0.1", 0, null);
        }

        /** Plain HTTP on 127.0.0.1 and {@code port}. */
        public static Binding loopback(int port) {
            return new Binding("127.0.0.1", port, null);
        }
    }

    /** Basic credentials as a client sends them ({@code client_secret_basic}: both halves form-decoded). */
    public record Credentials(String id, String secret) {
    }

    private final Binding binding;
    private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
    private final ExecutorService handlers;
    private int port;
    private @Nullable HttpServer server;

    private StubServer(Binding binding, int handlerThreads) {
        if (handlerThreads < 1 || handlerThreads > 256) {
            throw new IllegalArgumentException("handlerThreads must be 1..256: " + handlerThreads);
        }
        this.binding = binding;
        this.port = binding.port();
        this.handlers = Executors.newFixedThreadPool(handlerThreads);
    }

    /** Starts a server with no routes yet (404 for everything) at {@code binding}. */
    public static StubServer start(Binding binding) {
        return start(binding, HANDLER_THREADS);
    }

    /** As {@link #start(Binding)}, handling up to {@code handlerThreads} requests at once (for tests that hold many). */
    public static StubServer start(Binding binding, int handlerThreads) {
        StubServer stub = new StubServer(binding, handlerThreads);
        stub.resume();
        return stub;
    }

    /** Serves {@code handler} at {@code path} (longest prefix wins, as in the JDK server), now and after restarts. */
    public synchronized StubServer route(String path, HttpHandler handler) {
        if (routes.put(path, handler) != null) {
            throw new IllegalStateException("already routed: " + path);
        }
        if (server != null) {
            server.createContext(path, handler);
        }
        return this;
    }

    /** Starts serving (again) on the same address and port, with the same routes. */
    public synchronized void resume() {
        if (server != null) {
            throw new IllegalStateException("the server is running");
        }
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(binding.host()), port);
            HttpServer next;
            if (binding.tls() == null) {
                next = HttpServer.create(address, 50);
            } else {
                HttpsServer https = HttpsServer.create(address, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(binding.tls()));
                next = https;
            }
            routes.forEach(next::createContext);
            next.setExecutor(handlers);
            next.start();
            port = next.getAddress().getPort();
            server = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving: the port refuses connections until {@link #resume()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** {@code http(s)://HOST:PORT}, no trailing slash. */
    public String base() {
        return (binding.tls() == null ? "http" : "https") + "://" + binding.host() + ":" + port();
    }

    public synchronized int port() {
        return port;
    }

    /** Answers {@code status} with a JSON body and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String json) throws IOException {
        respond(exchange, status, "application/json", json);
    }

    /** Answers {@code status} with {@code body} of {@code contentType} and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    /** An {@code application/x-www-form-urlencoded} body or a query string (null: empty), decoded. */
    public static Map<String, String> form(@Nullable String text) {
        Map<String, String> params = new HashMap<>();
        if (text == null) {
            return params;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The request body read as a form. */
    public static Map<String, String> form(HttpExchange exchange) throws IOException {
        return form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The HTTP Basic credentials of an {@code Authorization} header, or null if it carries none (or malformed). */
    public static @Nullable Credentials basicCredentials(@Nullable String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return null;
        }
        // client_secret_basic form-encodes id and secret before joining them (RFC 6749, 2.3.1)
        return new Credentials(URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        stop();
        handlers.shutdownNow();
    }
}
