package io.gatehouse.gateway.decisionlog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
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
 * Writes decision-log events (DESIGN.md, "The decision log") as one JSON line each on the logger
 * {@code gatehouse.decision}, every control character escaped ({@link LogLineEscapes}), from one daemon thread fed by
 * a bounded queue, so the request path only enqueues.
 * Enqueueing takes no lock and never parks the event-loop thread: a lock-free queue, a counter for the bound, and an
 * {@code unpark} of the writer only when it has gone idle; while events keep coming, the writer drains in batches
 * every millisecond.
 *
 * <p>Full queue (the sink cannot keep up, e.g. a blocked stdout): the event is written on the caller's thread
 * instead ("caller runs"). Nothing is dropped and memory stays bounded; the price is that, at saturation, requests
 * pay for their own log line, which slows intake to what the sink can take. Every such event is counted in
 * {@code gatehouse_decision_log_queue_full_total}, and a warning is logged at most every 10 s. On shutdown the
 * queue is drained before the thread ends.
 */
public final class DecisionLogWriter implements SmartLifecycle {

    static final String LOGGER = "gatehouse.decision";

    private static final Logger out = LoggerFactory.getLogger(LOGGER);
    private static final Logger log = LoggerFactory.getLogger(DecisionLogWriter.class);
    /** Client text in an event is data: control characters are escaped, never written raw (LogLineEscapes). */
    private static final ObjectMapper JSON = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(new LogLineEscapes()));
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BATCH_NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConcurrentLinkedQueue<Map<String, Object>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private volatile boolean writerSleeping;
    private final Counter written;
    private final Counter full;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private volatile boolean running;
    private volatile @Nullable Thread thread;

    public DecisionLogWriter(int capacity, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("gatehouse.decision-log.queue-capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.written = Counter.builder("gatehouse.decision_log.written").description("decision-log lines written")
                .register(meters);
        this.full = Counter.builder("gatehouse.decision_log.queue_full")
                .description("decision-log events written on the request thread because the queue was full")
                .register(meters);
        Gauge.builder("gatehouse.decision_log.queue", queued, AtomicInteger::get)
                .description("decision-log events waiting to be written").register(meters);
    }

    /** Hands one event over; never drops it (see the class comment for a full queue). */
    public void submit(Map<String, Object> event) {
        if (running && tryEnqueue(event)) {
            return;
        }
        if (running) {
            full.increment();
            long now = System.nanoTime();
            long last = lastWarning.get();
            if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
                log.warn("decision-log queue full ({} events): writing on the request thread until it drains",
                        queued.get());
            }
        }
        write(event);
    }

    private boolean tryEnqueue(Map<String, Object> event) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.offer(event);
        Thread writer = thread;
        if (writerSleeping && writer != null) {
            LockSupport.unpark(writer);
        }
        return true;
    }

    private @Nullable Map<String, Object> dequeue() {
        Map<String, Object> event = queue.poll();
        if (event != null) {
            queued.decrementAndGet();
        }
        return event;
    }

    private void write(Map<String, Object> event) {
        try {
            out.info(JSON.writeValueAsString(event));
            written.increment();
        } catch (JsonProcessingException | RuntimeException e) {
            log.error("cannot write a decision-log event for request {}", event.get("request_id"), e);
        }
    }

    private void drainLoop() {
        try {
            while (running) {
                Map<String, Object> event = dequeue();
                if (event != null) {
                    write(event);
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
        } finally {
            for (Map<String, Object> event; (event = dequeue()) != null; ) {
                write(event);
            }
        }
    }

    @Override
    public void start() {
        running = true;
        Thread t = new Thread(this::drainLoop, "gatehouse-decision-log");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Map<String, Object> event; (event = dequeue()) != null; ) {
            write(event);
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
}
