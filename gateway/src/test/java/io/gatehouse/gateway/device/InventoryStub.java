package io.gatehouse.gateway.device;

import com.sun.net.httpserver.HttpExchange;
import io.gatehouse.testsupport.StubServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP stand-in for device-inventory on 127.0.0.1: {@code POST /token} (client credentials, basic auth
 * {@code gateway:secret}) and {@code GET /v1/posture?cert_sha256=} answering from a map (404 otherwise). It can
 * answer slowly (hold the answer until closed), fail with 500, or vanish ({@link #close()}).
 */
public final class InventoryStub implements AutoCloseable {

    /** ANSWER at once; SLOW: hold, then 503; FAIL: 500; HELD: hold until {@link #release()}, then answer. */
    enum Mode { ANSWER, SLOW, FAIL, HELD }

    private final StubServer server;
    private final Map<String, String> postures = new ConcurrentHashMap<>();
    private final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
    private final AtomicInteger postureRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile Mode mode = Mode.ANSWER;

    private InventoryStub() {
        this.server = StubServer.start(StubServer.Binding.loopback());
    }

    public static InventoryStub start() {
        InventoryStub stub = new InventoryStub();
        stub.server.route("/token", stub::token);
        stub.server.route("/v1/posture", stub::posture);
        return stub;
    }

    public URI uri() {
        return URI.create(server.base());
    }

    void mode(Mode value) {
        mode = value;
    }

    public void posture(String sha256, String json) {
        postures.put(sha256, json);
    }

    /** Lets the posture requests held in mode HELD (and later ones) answer. */
    void release() {
        held.countDown();
    }

    int postureRequests() {
        return postureRequests.get();
    }

    int tokenRequests() {
        return tokenRequests.get();
    }

    List<String> seenAuthorization() {
        return List.copyOf(seenAuthorization);
    }

    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        String expected = "Basic " + Base64.getEncoder().encodeToString("gateway:secret".getBytes(StandardCharsets.UTF_8));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                || !body.contains("grant_type=client_credentials") || !body.contains("scope=posture%3Aread")) {
            StubServer.respond(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        StubServer.respond(exchange, 200, "{\"access_token\":\"tok-" + tokenRequests.get()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private void posture(HttpExchange exchange) throws IOException {
        postureRequests.incrementAndGet();
        seenAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        switch (mode) {
            case SLOW -> {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                StubServer.respond(exchange, 503, "{}");
            }
            case FAIL -> StubServer.respond(exchange, 500, "{\"error\":\"boom\"}");
            case ANSWER, HELD -> {
                if (mode == Mode.HELD) {
                    try {
                        held.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String query = exchange.getRequestURI().getQuery();
                String sha = query == null ? "" : query.replace("cert_sha256=", "");
                String json = postures.get(sha);
                if (json == null) {
                    StubServer.respond(exchange, 404, "{\"error\":\"unknown certificate\"}");
                } else {
                    StubServer.respond(exchange, 200, json);
                }
            }
        }
    }

    @Override
    public void close() {
        released.countDown();
        held.countDown();
        server.close();
    }
}
