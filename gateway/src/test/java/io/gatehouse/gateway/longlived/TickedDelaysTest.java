package io.gatehouse.gateway.longlived;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TickedDelaysTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TickedDelays delays = new TickedDelays(now::get);
    private final List<String> ran = new ArrayList<>();

    @Test
    void taskRunsAtTheFirstTickAfterItsDelayAndOnlyOnce() {
        delays.after(Duration.ofNanos(500), () -> ran.add("a"));
        now.addAndGet(499);
        delays.tick();
        assertThat(ran).isEmpty();
        now.addAndGet(1);
        delays.tick();
        delays.tick();
        assertThat(ran).containsExactly("a");
        assertThat(delays.size()).isZero();
    }

    @Test
    void cancelledTaskNeverRunsAndLeavesNothingBehind() {
        Runnable cancel = delays.after(Duration.ofNanos(10), () -> ran.add("cancelled"));
        delays.after(Duration.ofNanos(10), () -> ran.add("kept"));
        cancel.run();
        cancel.run();
        now.addAndGet(10);
        delays.tick();
        assertThat(ran).containsExactly("kept");
        assertThat(delays.size()).isZero();
    }

    @Test
    void tasksDueAtTheSameInstantAreTwoAndAFailingOneDoesNotStopTheOthers() {
        delays.after(Duration.ZERO, () -> {
            throw new IllegalStateException("boom");
        });
        delays.after(Duration.ZERO, () -> ran.add("b"));
        delays.after(Duration.ZERO, () -> ran.add("c"));
        assertThat(delays.size()).isEqualTo(3);
        delays.tick();
        assertThat(ran).containsExactlyInAnyOrder("b", "c");
        assertThat(delays.size()).isZero();
    }

    @Test
    void dueTimesSurviveNanoTimeWrappingPastLongMax() {
        now.set(Long.MAX_VALUE - 5);
        delays.after(Duration.ofNanos(10), () -> ran.add("wrapped"));
        now.addAndGet(9);
        delays.tick();
        assertThat(ran).isEmpty();
        now.addAndGet(1);
        delays.tick();
        assertThat(ran).containsExactly("wrapped");
    }
}
