package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Steady, bounded load on the gateway: one scheduled thread per {@link Kind}, each sending one request at a time
 * every {@link #PERIOD} (so at most kinds × 20 requests a second, fewer while answers are slow), and recording every
 * answer as an {@link Outcome}: status, the problem's reason code, {@code Retry-After}, {@code X-Request-Id},
 * latency, or the client-side error. At most {@link #MAX_OUTCOMES} are kept; beyond that the generator stops.
 */
final class LoadGenerator implements AutoCloseable {

    static final Duration PERIOD = Duration.ofMillis(50);
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_OUTCOMES = 100_000;
    static final String USER_AGENT = "gatehouse-faults/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of request: a name, the client (HTTP version, client certificate) and how to build it. */
    record Kind(String name, HttpClient client, Supplier<HttpRequest.Builder> request) {
    }

    /** One answer (or client-side failure) as the load generator saw it; times are System.nanoTime(). */
    record Outcome(String kind, long sent, long done, int status, String code, String retryAfter, String requestId,
                   String body, String error) {

        long latencyMillis() {
            return TimeUnit.NANOSECONDS.toMillis(done - sent);
        }

        /** status, code and Retry-After, e.g. {@code 503 session-store-unavailable RA=2}. */
        String answer() {
            if (error != null) {
                return "client error " + error;
            }
            return status + (code == null ? "" : " " + code) + (retryAfter == null ? "" : " Retry-After " + retryAfter);
        }
    }

    private final List<Kind> kinds;
    private final List<Outcome> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ScheduledExecutorService threads;
    private volatile boolean paused = true;

    LoadGenerator(List<Kind> kinds) {
        this.kinds = List.copyOf(kinds);
        this.threads = Executors.newScheduledThreadPool(kinds.size());
        for (Kind kind : this.kinds) {
            threads.scheduleWithFixedDelay(() -> tick(kind), 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    List<Kind> kinds() {
        return kinds;
    }

    private void tick(Kind kind) {
        if (paused || outcomes.size() >= MAX_OUTCOMES) {
            return;
        }
        inFlight.incrementAndGet();
        try {
            outcomes.add(send(kind.name(), kind.client(), kind.request().get()));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Sends one request now (load or probe) and records its outcome under {@code kind}. */
    Outcome probe(String kind, HttpClient client, HttpRequest.Builder request) {
        Outcome outcome = send(kind, client, request);
        outcomes.add(outcome);
        return outcome;
    }

    private static Outcome send(String kind, HttpClient client, HttpRequest.Builder request) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.timeout(CLIENT_TIMEOUT)
                    .setHeader("User-Agent", USER_AGENT).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            String code = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("application/problem+json")) {
                JsonNode problem = JSON.readTree(body);
                code = problem.hasNonNull("code") ? problem.get("code").asText()
                        : problem.path("type").asText().replace("urn:gatehouse:problem:", "");
            } else if (type.startsWith("text/html") && response.statusCode() >= 400) {
                code = "html page";
            }
            return new Outcome(kind, sent, System.nanoTime(), response.statusCode(), code,
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.headers().firstValue("X-Request-Id").orElse(null), body, null);
        } catch (Exception e) {
            return new Outcome(kind, sent, System.nanoTime(), 0, null, null, null, null, e.toString());
        }
    }

    void resume() {
        paused = false;
    }

    /** Stops sending and waits (at most 15 s) until no request is in flight. */
    void pause() {
        paused = true;
        org.awaitility.Awaitility.await("load generator idle").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20)).until(() -> inFlight.get() == 0);
    }

    /** Every outcome whose request was sent at or after {@code fromNanos} and before {@code toNanos}. */
    List<Outcome> between(long fromNanos, long toNanos) {
        List<Outcome> out = new ArrayList<>();
        for (Outcome o : all()) {
            if (o.sent() >= fromNanos && o.sent() < toNanos) {
                out.add(o);
            }
        }
        return out;
    }

    List<Outcome> all() {
        synchronized (outcomes) {
            return new ArrayList<>(outcomes);
        }
    }

    static Map<String, String> headers(String... pairs) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static HttpRequest.Builder get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET();
        headers.forEach(builder::header);
        return builder;
    }

    @Override
    public void close() {
        paused = true;
        threads.shutdownNow();
        try {
            threads.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
