package io.gatehouse.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's upstream: answers every request 200 with a small JSON body, on a fixed loopback port, and can be
 * stopped (the port refuses connections), started again on the same port, or stalled (requests are read, then held
 * without an answer until the stall ends, at most 30 s).
 */
final class FaultyUpstream implements AutoCloseable {

    private static final byte[] BODY = "{\"upstream\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private final int port;
    private final ExecutorService handlers = Executors.newFixedThreadPool(32);
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private HttpServer server;

    FaultyUpstream(int port) {
        this.port = port;
        resume();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    synchronized void resume() {
        if (server != null) {
            throw new IllegalStateException("the upstream is running");
        }
        try {
            HttpServer next = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            next.createContext("/", exchange -> {
                try {
                    exchange.getRequestBody().readAllBytes();
                    if (!stall.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("stalled for 30 s");
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, BODY.length);
                    exchange.getResponseBody().write(BODY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    exchange.close();
                }
            });
            next.setExecutor(handlers);
            next.start();
            server = next;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the port: connections are refused until {@link #resume}. */
    synchronized void stop() {
        stall.countDown();
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** From now on requests are held without an answer, until {@link #unstall}. */
    void stall() {
        stall = new CountDownLatch(1);
    }

    void unstall() {
        stall.countDown();
    }

    @Override
    public void close() {
        stop();
        handlers.shutdownNow();
    }
}
