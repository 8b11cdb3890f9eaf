package io.gatehouse.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A real HTTP/1.1 server on 127.0.0.1 and a random port that stands for an internal app. It answers 200 with
 * JSON echoing what it received ({@code method}, {@code path}, {@code query}, {@code headers} as a map of
 * lower-case name to list of values, {@code body}) and records every request, so a test can assert what the
 * upstream saw, or that it saw nothing. It can also answer slowly or drop connections without an answer, and
 * indent its JSON ({@link #prettyJson()}) for a test that reads it as a page in a browser.
 */
public final class EchoUpstream implements AutoCloseable {

    /** One request as the upstream saw it; header names in lower case, in arrival order. */
    public record Received(String method, String path, @Nullable String query, Map<String, List<String>> headers,
                           String body) {

        /** The first value of a header, or null. */
        public @Nullable String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public boolean hasHeader(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }
    }

    private sealed interface Behaviour {
        record Echo() implements Behaviour { }
        record Slow(Duration delay) implements Behaviour { }
        record Trickle(int parts, Duration gap) implements Behaviour { }
        record Drop() implements Behaviour { }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile boolean pretty;
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(new Behaviour.Echo());
    private final DisposableServer server;

    private EchoUpstream() {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(this::handle)
                .bindNow(Duration.ofSeconds(10));
    }

    /** Starts a new upstream; close it when done. */
    public static EchoUpstream start() {
        return new EchoUpstream();
    }

    /** A URL on 127.0.0.1 where nothing listens (the port was free a moment ago): "upstream down". */
    public static URI refusingUri() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, {@code http://127.0.0.1:PORT}, to use as a route's {@code to}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public int port() {
        return server.port();
    }

    /** Every request received so far, oldest first. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The most recent request; fails when there was none. */
    public Received last() {
        List<Received> all = received();
        if (all.isEmpty()) {
            throw new AssertionError("the upstream received no request");
        }
        return all.get(all.size() - 1);
    }

    /** Answers with indented JSON ({@code "path" : "/x"}, one key a line) from now on, as a browser shows it. */
    public EchoUpstream prettyJson() {
        pretty = true;
        return this;
    }

    public void clear() {
        received.clear();
    }

    /** Back to answering at once (the default). */
    public void echo() {
        behaviour.set(new Behaviour.Echo());
    }

    /** Records the request, then waits {@code delay} before answering. */
    public void slow(Duration delay) {
        behaviour.set(new Behaviour.Slow(delay));
    }

    /**
     * Records the request, answers its headers at once, then sends the body in {@code parts} lines of the form
     * {@code part N\n}, {@code gap} apart (a stream, or an upstream that stalls mid-answer).
     */
    public void trickle(int parts, Duration gap) {
        behaviour.set(new Behaviour.Trickle(parts, gap));
    }

    /** Records the request, then closes the connection without an answer. */
    public void dropConnections() {
        behaviour.set(new Behaviour.Drop());
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            Received seen = record(request, body);
            Behaviour now = behaviour.get();
            if (now instanceof Behaviour.Drop) {
                return Mono.<Void>fromRunnable(() -> response.withConnection(c -> c.dispose()));
            }
            if (now instanceof Behaviour.Trickle trickle) {
                return response.header("Content-Type", "text/plain")
                        .send(ByteBufFlux.fromString(Flux.range(1, trickle.parts())
                                .concatMap(n -> Mono.just("part " + n + "\n")
                                        .delayElement(n == 1 ? Duration.ZERO : trickle.gap()))), part -> true)
                        .then();
            }
            Mono<Void> answer = Mono.defer(() -> response.header("Content-Type", "application/json")
                    .sendString(Mono.just(toJson(seen, pretty))).then());
            return now instanceof Behaviour.Slow slow ? Mono.delay(slow.delay()).then(answer) : answer;
        });
    }

    private Received record(HttpServerRequest request, String body) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.requestHeaders().forEach(e -> headers
                .computeIfAbsent(e.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e.getValue()));
        Received seen = new Received(request.method().name(), q < 0 ? uri : uri.substring(0, q),
                q < 0 ? null : uri.substring(q + 1), Map.copyOf(headers), body);
        received.add(seen);
        return seen;
    }

    private static String toJson(Received seen, boolean pretty) {
        try {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("method", seen.method());
            json.put("path", seen.path());
            json.put("query", seen.query());
            json.put("headers", seen.headers());
            json.put("body", seen.body());
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) : JSON.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
