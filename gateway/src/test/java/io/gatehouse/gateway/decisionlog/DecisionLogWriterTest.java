package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer against sinks that block, throw or are slow: the caller's thread never writes, the queue stays within
 * its byte bound, every line is either written or counted as dropped (never both, never neither), and stop drains.
 */
class DecisionLogWriterTest {

    /** A sink that records the lines it took and the threads that wrote them; it can be held, slowed or failed. */
    private static final class RecordingSink implements LineSink {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Set<String> writerThreads = ConcurrentHashMap.newKeySet();
        final CountDownLatch gate;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean failing;
        volatile long spinNanos;

        RecordingSink(boolean held) {
            gate = new CountDownLatch(held ? 1 : 0);
        }

        @Override
        public void write(String line) throws IOException {
            writerThreads.add(Thread.currentThread().getName());
            calls.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long until = System.nanoTime() + spinNanos;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (failing) {
                throw new IOException("No space left on device");
            }
            lines.add(line);
        }
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private DecisionLogWriter writer;

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.stop();
        }
    }

    private DecisionLogWriter start(LineSink sink, long maxBytes, Duration drainTimeout) {
        writer = new DecisionLogWriter(new DecisionLogWriter.Limits(65_536, maxBytes, drainTimeout), sink, meters);
        writer.start();
        return writer;
    }

    private double count(String name) {
        return meters.get(name).counter().count();
    }

    private double dropped(String reason) {
        return meters.get("gatehouse.decision_log.dropped").tag("reason", reason).counter().count();
    }

    @Test
    void submitWhenSinkBlocksAndBytesExceededThenDroppedCountedAndCallerNeverWrites() {
        RecordingSink sink = new RecordingSink(true);
        start(sink, 4_096, Duration.ofSeconds(10));
        String padding = "x".repeat(200);

        for (int i = 0; i < 100; i++) {
            writer.submit(Map.of("request_id", "r-" + i, "pad", padding));
        }

        assertThat(dropped("queue-full")).isPositive();
        assertThat(meters.get("gatehouse.decision_log.queue_bytes").gauge().value()).isLessThanOrEqualTo(4_096);
        sink.gate.countDown();
        writer.stop();
        assertThat(sink.writerThreads).as("threads that wrote a line").containsExactly("gatehouse-decision-log")
                .doesNotContain(Thread.currentThread().getName());
        assertThat(sink.lines.size() + dropped("queue-full")).isEqualTo(100);
        assertThat(count("gatehouse.decision_log.written")).isEqualTo(sink.lines.size());
    }

    @Test
    void submitWhenManyProducersOutrunASlowSinkThenEveryLineWrittenOrCountedDropped() throws Exception {
        RecordingSink sink = new RecordingSink(false);
        sink.spinNanos = 20_000;
        start(sink, 8_192, Duration.ofSeconds(30));
        int producers = 4;
        int perProducer = 2_000;
        Set<String> producerThreads = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        for (int p = 0; p < producers; p++) {
            int producer = p;
            pool.submit(() -> {
                producerThreads.add(Thread.currentThread().getName());
                for (int i = 0; i < perProducer; i++) {
                    writer.submit(Map.of("request_id", producer + "-" + i));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        writer.stop();

        assertThat(sink.lines.size() + dropped("queue-full")).isEqualTo(producers * perProducer);
        assertThat(dropped("queue-full")).isPositive();
        assertThat(count("gatehouse.decision_log.written")).isEqualTo(sink.lines.size());
        assertThat(sink.writerThreads).doesNotContainAnyElementsOf(producerThreads);
    }

    @Test
    void writeWhenSinkFailsThenWrittenCountsOnlySuccessesAndSinkReportedUntilItRecovers() {
        RecordingSink sink = new RecordingSink(false);
        start(sink, 1 << 20, Duration.ofSeconds(10));
        writer.submit(Map.of("request_id", "ok-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 1);

        sink.failing = true;
        for (int i = 0; i < 5; i++) {
            writer.submit(Map.of("request_id", "lost-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.calls.get() == 6);

        assertThat(count("gatehouse.decision_log.written")).isEqualTo(1);
        assertThat(dropped("sink-failed")).isEqualTo(5);
        assertThat(writer.sinkFailure()).isNotNull();
        assertThat(writer.sinkFailure().message()).contains("No space left on device");
        assertThat(meters.get("gatehouse.decision_log.sink_up").gauge().value()).isZero();

        sink.failing = false;
        writer.submit(Map.of("request_id", "ok-2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 2);
        assertThat(writer.sinkFailure()).isNull();
        assertThat(count("gatehouse.decision_log.written")).isEqualTo(2);
        assertThat(meters.get("gatehouse.decision_log.sink_up").gauge().value()).isEqualTo(1);
    }

    @Test
    void stopWhenLinesQueuedThenEveryOneWrittenBeforeStopReturns() {
        RecordingSink sink = new RecordingSink(true);
        start(sink, 1 << 24, Duration.ofSeconds(30));
        for (int i = 0; i < 500; i++) {
            writer.submit(Map.of("request_id", "stop-" + i));
        }
        sink.gate.countDown();

        writer.stop();

        assertThat(sink.lines).hasSize(500);
        assertThat(count("gatehouse.decision_log.written")).isEqualTo(500);
    }

    @Test
    void stopWhenSinkBlocksPastDrainTimeoutThenStopReturnsAndTheRestCountDropped() {
        RecordingSink sink = new RecordingSink(true);
        start(sink, 1 << 24, Duration.ofMillis(300));
        for (int i = 0; i < 50; i++) {
            writer.submit(Map.of("request_id", "stuck-" + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.calls.get() == 1);

        long started = System.nanoTime();
        writer.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(dropped("shutdown-timeout")).isEqualTo(49);
        sink.gate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("gatehouse.decision_log.written") == 1);
        assertThat(sink.lines).hasSize(1);
    }

    @Test
    void submitWhenNotRunningThenDroppedAndNotWrittenOnTheCaller() {
        RecordingSink sink = new RecordingSink(false);
        writer = new DecisionLogWriter(new DecisionLogWriter.Limits(16, 1 << 20, Duration.ofSeconds(1)), sink, meters);

        writer.submit(Map.of("request_id", "early"));

        assertThat(sink.calls.get()).isZero();
        assertThat(dropped("stopped")).isEqualTo(1);
    }
}
