package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The writer under saturation: a queue far smaller than the burst, several producers, and not one event lost. */
class DecisionLogWriterTest {

    /** A sink that is slower than the producers: every line costs a little CPU. */
    private static final class SlowSink extends AppenderBase<ILoggingEvent> {
        final Set<String> ids = ConcurrentHashMap.newKeySet();

        @Override
        protected void append(ILoggingEvent event) {
            long until = System.nanoTime() + 20_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            String line = event.getFormattedMessage();
            ids.add(line.substring(line.indexOf("\"request_id\":\"") + 14, line.indexOf("\"", line.indexOf("\"request_id\":\"") + 14)));
        }
    }

    @Test
    void writerWhenQueueOverflowsThenEveryEventStillWrittenAndOverflowCounted() throws Exception {
        Logger decisionLogger = (Logger) LoggerFactory.getLogger(DecisionLogWriter.LOGGER);
        SlowSink sink = new SlowSink();
        sink.start();
        decisionLogger.addAppender(sink);
        decisionLogger.setLevel(Level.INFO);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DecisionLogWriter writer = new DecisionLogWriter(16, meters);
        writer.start();
        int producers = 4;
        int perProducer = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        writer.submit(Map.of("request_id", producer + "-" + i));
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.ids.size() == producers * perProducer);
            assertThat(meters.get("gatehouse.decision_log.written").counter().count()).isEqualTo(producers * perProducer);
            assertThat(meters.get("gatehouse.decision_log.queue_full").counter().count()).isPositive();
        } finally {
            writer.stop();
            decisionLogger.detachAppender(sink);
        }
    }

    @Test
    void writerWhenStoppedThenQueuedEventsAreDrainedFirst() {
        Logger decisionLogger = (Logger) LoggerFactory.getLogger(DecisionLogWriter.LOGGER);
        SlowSink sink = new SlowSink();
        sink.start();
        decisionLogger.addAppender(sink);
        try {
            DecisionLogWriter writer = new DecisionLogWriter(1_000, new SimpleMeterRegistry());
            writer.start();
            for (int i = 0; i < 500; i++) {
                writer.submit(Map.of("request_id", "stop-" + i));
            }
            writer.stop();

            assertThat(sink.ids).hasSize(500);
        } finally {
            decisionLogger.detachAppender(sink);
        }
    }
}
