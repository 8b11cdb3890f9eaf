package io.gatehouse.e2e;

import io.gatehouse.testsupport.StubServer;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite's upstream: answers every request 200 with a small JSON body, on a fixed loopback port, and can be
 * stopped (the port refuses connections), started again on the same port, or stalled (requests are read, then held
 * without an answer until the stall ends, at most 30 s). The server, its restarts and its answers are test-support's
 * {@link StubServer}.
 */
final class FaultyUpstream implements AutoCloseable {

    private static final String BODY = "{\"upstream\":\"ok\"}";
    /** Requests held at once during a stall: the load generator's connections, with room to spare. */
    private static final int HANDLERS = 32;
    private final StubServer server;
    private volatile CountDownLatch stall = new CountDownLatch(0);

    FaultyUpstream(int port) {
        server = StubServer.start(StubServer.Binding.loopback(port), HANDLERS).route("/", exchange -> {
            try {
                exchange.getRequestBody().readAllBytes();
                if (!stall.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("stalled for 30 s");
                }
                StubServer.respond(exchange, 200, BODY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
    }

    URI uri() {
        return URI.create(server.base());
    }

    /** Serves again on the same port. */
    void resume() {
        server.resume();
    }

    /** Closes the port: connections are refused until {@link #resume}. */
    void stop() {
        stall.countDown();
        server.stop();
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
        server.close();
    }
}
