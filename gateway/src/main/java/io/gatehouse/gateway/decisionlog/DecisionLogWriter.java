package io.gatehouse.gateway.decisionlog;

import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.policy.replay.DecisionFacts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes decision-log events (docs/design.md, "The decision log") as one JSON line each, every control character escaped
 * ({@link LogLineEscapes}), from one daemon thread fed by a queue bounded in lines and in bytes, so the request path
 * only serialises and enqueues. Enqueueing takes no lock and never parks or writes on the caller's thread: a
 * lock-free queue, counters for the bounds, and an {@code unpark} of the writer only when it has gone idle.
 *
 * <ul>
 *   <li>Full queue (the sink cannot keep up): the line is dropped and counted in
 *       {@code gatehouse_decision_log_dropped_total{reason="queue-full"}}, with a warning at most every 10 s. The
 *       request thread never writes, so a blocked stdout cannot stall the event loop.</li>
 *   <li>Sink failure (closed stdout, full disk): the line counts as {@code reason="sink-failed"}, the sink is
 *       reported failing ({@link #sinkFailure()}, health component {@code decisionLog}, gauge
 *       {@code gatehouse_decision_log_sink_up} 0) until a line is written again; a warning at most every 10 s.</li>
 *   <li>{@code gatehouse_decision_log_written_total} counts only lines the sink took without error.</li>
 *   <li>Stop: the thread writes everything queued, waiting at most the drain timeout; what is left then counts as
 *       {@code reason="shutdown-timeout"}. Lines submitted while not running count as {@code reason="stopped"}.</li>
 * </ul>
 */
public final class DecisionLogWriter implements SmartLifecycle {

    static final String LOGGER = "gatehouse.decision";

    /** Per-line bookkeeping added to a line's length in the byte bound (queue node, String header). */
    static final int LINE_OVERHEAD_BYTES = 64;

    private static final Logger log = LoggerFactory.getLogger(DecisionLogWriter.class);
    /**
     * Client text in an event is data: control characters are escaped, never written raw (LogLineEscapes). Blackbird
     * reads the records' components through generated accessors: plain Jackson calls each one with
     * {@code Method.invoke} and an access check, a third of the line's cost on the event loop (docs/performance.md).
     */
    private static final ObjectMapper JSON = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(new LogLineEscapes())).registerModule(new BlackbirdModule());
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BATCH_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /**
     * The bounds: {@code queueCapacity} lines and {@code queueMaxBytes} bytes waiting (the line's length plus
     * {@link #LINE_OVERHEAD_BYTES}), and how long stop waits for the queue to drain.
     */
    public record Limits(int queueCapacity, long queueMaxBytes, Duration drainTimeout) {
        public Limits {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException(
                        "gatehouse.decision-log.queue-capacity must be at least 1, was " + queueCapacity);
            }
            if (queueMaxBytes < 1) {
                throw new IllegalArgumentException(
                        "gatehouse.decision-log.queue-max-bytes must be at least 1B, was " + queueMaxBytes);
            }
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "gatehouse.decision-log.drain-timeout must not be negative, was " + drainTimeout);
            }
        }
    }

    /** Why the sink is failing: the last error, since when, and how many lines it refused since. */
    public record SinkFailure(String message, Instant since, long lines) {
    }

    private final Limits limits;
    private final LineSink sink;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Counter written;
    private final MeterRegistry meters;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final RateLimitedWarning queueFullWarning = new RateLimitedWarning();
    private final AtomicLong unreportedQueueFull = new AtomicLong();
    private final RateLimitedWarning sinkWarning = new RateLimitedWarning();
    private volatile @Nullable SinkFailure sinkFailure;
    private volatile boolean writerSleeping;
    private volatile boolean running;
    /** Set when stop gave up waiting: the thread then writes no further line. */
    private volatile boolean abandoned;
    private volatile @Nullable Thread thread;

    public DecisionLogWriter(Limits limits, LineSink sink, MeterRegistry meters) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.written = Counter.builder("gatehouse.decision_log.written")
                .description("decision-log lines the sink took without error").register(meters);
        for (String reason : new String[] {"queue-full", "sink-failed", "stopped", "shutdown-timeout", "disabled",
                "unserializable"}) {
            droppedCounter(reason);
        }
        Gauge.builder("gatehouse.decision_log.queue", queued, AtomicInteger::get)
                .description("decision-log lines waiting to be written").register(meters);
        Gauge.builder("gatehouse.decision_log.queue_bytes", queuedBytes, AtomicLong::get).baseUnit("bytes")
                .description("bytes of decision-log lines waiting to be written").register(meters);
        Gauge.builder("gatehouse.decision_log.sink_up", this, w -> w.sinkFailure == null ? 1 : 0)
                .description("1 while the decision-log sink writes, 0 while it fails").register(meters);
        // Load Jackson's serialisers now, not on the first request's event-loop thread (class loading reads files).
        line(Map.of("request_id", "warm-up", "n", 1, "ok", true, "list", java.util.List.of("a")), "warm-up");
        line(new DecisionLogEvent("warm-up", "warm-up", null,
                new DecisionLogEvent.Who(null, null, java.util.List.of(), "anonymous", "s"),
                new DecisionLogEvent.What("GET", "h", "/", null), new DecisionLogEvent.Why("deny", true, null, null,
                java.util.List.of("r")), new DecisionLogEvent.Shadow("allow", null, java.util.List.of("r"),
                "would-allow"), new DecisionLogEvent.Where(null, null, null, null, null),
                new DecisionLogEvent.Result(200, 1.5), new DecisionLogEvent.Policy("v"), null, WARM_UP_FACTS,
                new DecisionLogEvent.Via("nginx", "127.0.0.1", null, null),
                new DecisionLogEvent.Connection("websocket", "w", "interval", 1.5, 1, true, "1008")),
                "warm-up");
    }

    /** Facts with every part (identity, device, note), so that their serialisers load at startup too. */
    private static final DecisionFacts WARM_UP_FACTS = DecisionFacts.of(new Request("GET",
            java.net.URI.create("https://h/"), "127.0.0.1", java.time.Instant.EPOCH,
            new Identity("s", null, java.util.List.of(), Map.of("c", java.util.List.of("v")), java.time.Instant.EPOCH),
            new DevicePosture("d", true, true, TrustLevel.HIGH, true, true, null, null, null, java.time.Instant.EPOCH),
            java.util.List.of(new Reason("n", "n"))), ClaimsRead.ALL, java.util.Set.of());

    /** Hands one event over; never writes on the caller's thread, never blocks. */
    public void submit(DecisionLogEvent event) {
        submitLine(event, event.requestId());
    }

    /** An untyped event, as {@link #submit(DecisionLogEvent)}: for the writer's own tests of queue and sink. */
    void submit(Map<String, Object> event) {
        submitLine(event, event.get("request_id"));
    }

    private void submitLine(Object event, @Nullable Object requestId) {
        if (!running) {
            drop("stopped", 1);
            return;
        }
        String line = line(event, requestId);
        if (line == null) {
            drop("unserializable", 1);
            return;
        }
        if (!tryEnqueue(line)) {
            drop("queue-full", 1);
            unreportedQueueFull.incrementAndGet(); // warned about by the writer thread: logging here could block
        }
    }

    /** The sink's failure while it fails (from the last line it refused until the next it took); null when fine. */
    public @Nullable SinkFailure sinkFailure() {
        return sinkFailure;
    }

    private static @Nullable String line(Object event, @Nullable Object requestId) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException | RuntimeException e) {
            log.error("cannot serialise a decision-log event for request {}", requestId, e);
            return null;
        }
    }

    private boolean tryEnqueue(String line) {
        long bytes = weight(line);
        if (queued.incrementAndGet() > limits.queueCapacity()) {
            queued.decrementAndGet();
            return false;
        }
        if (queuedBytes.addAndGet(bytes) > limits.queueMaxBytes()) {
            queuedBytes.addAndGet(-bytes);
            queued.decrementAndGet();
            return false;
        }
        queue.offer(line);
        Thread writer = thread;
        if (writerSleeping && writer != null) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    private @Nullable String dequeue() {
        String line = queue.poll();
        if (line != null) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-weight(line));
        }
        return line;
    }

    private static long weight(String line) {
        return line.length() + (long) LINE_OVERHEAD_BYTES;
    }

    private void write(String line) {
        try {
            sink.write(line);
            written.increment();
            sinkFailure = null;
        } catch (LineSink.Disabled e) {
            drop("disabled", 1);
        } catch (Exception e) {
            drop("sink-failed", 1);
            SinkFailure before = sinkFailure;
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            sinkFailure = new SinkFailure(message, before == null ? Instant.now() : before.since(),
                    before == null ? 1 : before.lines() + 1);
            sinkWarning.warn(() -> log.warn("decision-log sink failing ({}): lines are lost and counted in "
                    + "gatehouse_decision_log_dropped_total{reason=\"sink-failed\"}", message));
        }
    }

    private void warnOfQueueFull() {
        if (unreportedQueueFull.get() > 0) {
            queueFullWarning.warn(() -> log.warn("decision-log queue full (bounds {} lines, {} bytes): {} lines "
                            + "dropped since the last warning, until the sink catches up "
                            + "(gatehouse_decision_log_dropped_total{reason=\"queue-full\"})",
                    limits.queueCapacity(), limits.queueMaxBytes(), unreportedQueueFull.getAndSet(0)));
        }
    }

    private void drop(String reason, long lines) {
        droppedCounter(reason).increment(lines);
    }

    private Counter droppedCounter(String reason) {
        return dropped.computeIfAbsent(reason, r -> Counter.builder("gatehouse.decision_log.dropped").tag("reason", r)
                .description("decision-log lines not written, by reason").register(meters));
    }

    private void drainLoop() {
        while (!abandoned) {
            warnOfQueueFull();
            String line = dequeue();
            if (line != null) {
                write(line);
                continue;
            }
            if (!running) {
                // Look again: a line submitted before stop() may have landed between the poll above and this check.
                if (queue.isEmpty()) {
                    return; // stopped and drained
                }
                continue;
            }
            // Busy: nap briefly unannounced, so producers need not wake us once per event (an unpark is a syscall
            // on the event loop); the next batch is written within BATCH_NAP.
            LockSupport.parkNanos(this, BATCH_NAP_NANOS);
            if (!queue.isEmpty()) {
                continue;
            }
            // Idle: announce the long nap, then look once more: a producer that enqueued in between sees the flag
            // and unparks us.
            writerSleeping = true;
            if (queue.isEmpty() && running) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(200));
            }
            writerSleeping = false;
        }
    }

    @Override
    public void start() {
        abandoned = false;
        running = true;
        Thread t = new Thread(this::drainLoop, "gatehouse-decision-log");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops taking lines, then waits up to the drain timeout for the queue to be written; see the class comment. */
    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(1, limits.drainTimeout().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                abandoned = true;
            }
        }
        // What is left: the thread gave up (a blocked sink), or a submit raced with stop. Never written here: this
        // may be a thread that must not block, and the sink is the reason it is left.
        long left = 0;
        while (dequeue() != null) {
            left++;
        }
        if (left > 0) {
            drop(abandoned ? "shutdown-timeout" : "stopped", left);
            log.warn("decision log: {} lines not written at shutdown ({}; gatehouse.decision-log.drain-timeout {})",
                    left, abandoned ? "the sink did not take them in time" : "submitted while stopping",
                    limits.drainTimeout());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the web server (which stops at a higher phase), so in-flight requests still get their line. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** Logs at most once per 10 s, from any thread, without a lock. */
    private static final class RateLimitedWarning {
        private final AtomicLong last = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

        void warn(Runnable logIt) {
            long now = System.nanoTime();
            long previous = last.get();
            if (now - previous >= WARN_EVERY_NANOS && last.compareAndSet(previous, now)) {
                logIt.run();
            }
        }
    }
}
