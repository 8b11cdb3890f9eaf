package io.gatehouse.gateway.testing;

import io.gatehouse.testsupport.DevPki;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.http.client.WebsocketClientSpec;

/**
 * A WebSocket held open through the gateway (HTTP/1.1 upgrade over TLS, Host {@code localhost}, optionally a device
 * certificate and extra headers), for tests that watch what happens to a connection over time: every text message
 * received, the close status the gateway sent (code and reason), the upgrade's {@code X-Request-Id}, and whether the
 * connection ended. {@link #close()} disposes it.
 */
public final class HeldWebSocket implements AutoCloseable {

    private final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<WebSocketCloseStatus> closeStatus = new AtomicReference<>();
    private final AtomicReference<String> requestId = new AtomicReference<>();
    private final AtomicReference<Integer> refusedStatus = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean ended;
    private final long openedNanos = System.nanoTime();
    private volatile long endedNanos;
    private volatile long closeFrameNanos;
    private final Disposable connection;

    private HeldWebSocket(RunningGateway gateway, String path, DevPki.@Nullable Issued device,
                          Map<String, String> headers, @Nullable ConnectionProvider pool) {
        // By default from Reactor Netty's shared pool (16 connections per address; a WebSocket holds one for its whole
        // life): enough for the few sockets a test holds. Tests holding many pass their own pool.
        HttpClient client = (pool == null ? HttpClient.create() : HttpClient.create(pool)).secure(spec -> spec.sslContext(ssl(gateway.pki(), device)))
                .headers(h -> {
                    h.set("Host", "localhost");
                    headers.forEach(h::set);
                })
                .doOnResponse((response, conn) -> requestId.set(response.responseHeaders().get("X-Request-Id")))
                .doOnResponseError((response, e) -> refusedStatus.set(response.status().code()));
        connection = client.websocket(WebsocketClientSpec.builder().handlePing(true).build())
                .uri("wss://127.0.0.1:" + gateway.httpsPort() + path)
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> {
                        closeFrameNanos = System.nanoTime();
                        closeStatus.set(status);
                    });
                    return out.sendString(outgoing.asFlux()).then()
                            .and(in.receive().asString().doOnNext(received::add).then());
                })
                .doFinally(signal -> {
                    endedNanos = System.nanoTime();
                    ended = true;
                })
                .subscribe(ignored -> { }, failure::set);
    }

    /** Opens {@code path} with no device certificate. */
    public static HeldWebSocket open(RunningGateway gateway, String path) {
        return new HeldWebSocket(gateway, path, null, Map.of(), null);
    }

    /** Opens {@code path} presenting {@code device}'s certificate (may be null) and {@code headers}. */
    public static HeldWebSocket open(RunningGateway gateway, String path, DevPki.@Nullable Issued device,
                                     Map<String, String> headers) {
        return new HeldWebSocket(gateway, path, device, headers, null);
    }

    /**
     * Opens {@code path} like {@link #open(RunningGateway, String, DevPki.Issued, Map)}, its connection taken from
     * {@code pool} (for tests that hold more sockets than the shared pool's 16 connections per address).
     */
    public static HeldWebSocket open(RunningGateway gateway, String path, DevPki.@Nullable Issued device,
                                     Map<String, String> headers, ConnectionProvider pool) {
        return new HeldWebSocket(gateway, path, device, headers, java.util.Objects.requireNonNull(pool, "pool"));
    }

    private static SslContext ssl(DevPki pki, DevPki.@Nullable Issued device) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().trustManager(pki.caCertificate());
            if (device != null) {
                builder.keyManager(device.key(), device.certificate());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(String text) {
        outgoing.tryEmitNext(text).orThrow();
    }

    public List<String> received() {
        return List.copyOf(received);
    }

    /** The close frame the gateway sent, or null (none yet, or the connection ended without one). */
    public @Nullable WebSocketCloseStatus closeStatus() {
        return closeStatus.get();
    }

    /** The upgrade's X-Request-Id, once the 101 arrived. */
    public @Nullable String requestId() {
        return requestId.get();
    }

    /** The status of a refused upgrade (no 101), or null. */
    public @Nullable Integer refusedStatus() {
        return refusedStatus.get();
    }

    public @Nullable Throwable failure() {
        return failure.get();
    }

    public boolean ended() {
        return ended;
    }

    /** When the close frame arrived ({@link System#nanoTime()}); 0 before. */
    public long closeFrameAtNanos() {
        return closeFrameNanos;
    }

    /** How long the connection lived, once it ended. */
    public Duration lived() {
        return Duration.ofNanos(endedNanos - openedNanos);
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
