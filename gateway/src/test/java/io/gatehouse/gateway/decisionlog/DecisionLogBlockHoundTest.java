package io.gatehouse.gateway.decisionlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.gateway.testing.BlockHoundExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.LoopResources;

/**
 * The decision-log writer's enqueue path under BlockHound, on a real Reactor Netty event-loop thread (where the
 * gateway's RECORD stage calls it): it must not block. The first two tests show BlockHound really is on, so the
 * third one means something.
 */
class DecisionLogBlockHoundTest {

    private final LoopResources loops = LoopResources.create("blockhound-test", 1, true);
    private DecisionLogWriter writer;

    @BeforeEach
    void start() {
        BlockHoundExtension.install();
        BlockHoundExtension.takeFound();
        writer = new DecisionLogWriter(new DecisionLogWriter.Limits(1024, 1 << 20, Duration.ofSeconds(5)),
                DecisionLogSink.forLogger(DecisionLogWriter.LOGGER), new SimpleMeterRegistry());
        writer.start();
    }

    @AfterEach
    void stop() {
        writer.stop();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }

    @Test
    void sleepOnParallelSchedulerWhenBlockHoundOnThenBlockingOperationError() {
        BlockHoundExtension.enforcing(() -> assertThatThrownBy(() -> Mono.fromRunnable(DecisionLogBlockHoundTest::nap)
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(10)))
                .hasCauseInstanceOf(BlockingOperationError.class)
                .rootCause().hasMessageContaining("Thread.sleep"));
    }

    @Test
    void sleepOnNettyEventLoopWhenBlockHoundOnThenBlockingOperationError() {
        BlockHoundExtension.enforcing(() -> assertThat(onEventLoop(DecisionLogBlockHoundTest::nap))
                .isInstanceOf(BlockingOperationError.class));
    }

    @Test
    void submitOnNettyEventLoopWhenQueueHasRoomThenDoesNotBlock() {
        // A blocking call inside submit raises BlockingOperationError right there, which onEventLoop returns.
        // What BlockHound records outside submit (the event loop's own idling between tasks) is not submit's.
        BlockHoundExtension.enforcing(() -> {
            for (int i = 0; i < 200; i++) {
                String id = "req-" + i;
                assertThat(onEventLoop(() -> writer.submit(Map.of("request_id", id)))).as("event %s", id).isNull();
            }
        });
        BlockHoundExtension.takeFound();
    }

    private @Nullable Throwable onEventLoop(Runnable body) {
        return BlockHoundExtension.onEventLoop(loops, body);
    }

    private static void nap() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
