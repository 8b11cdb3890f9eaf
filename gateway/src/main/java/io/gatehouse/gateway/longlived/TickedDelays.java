package io.gatehouse.gateway.longlived;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks run by a ticker that already ticks (the {@link ConnectionTracker}'s), once their delay has passed: at most
 * one tick late. Every forwarded response asks for one ({@code stream-after}) and nearly all are cancelled a few
 * milliseconds later, so asking and cancelling are a set insert and a remove; a timer per response on a scheduler
 * would take a lock, a heap insert and a thread wake-up per request. Bounded by what asks: one task per response
 * body being written, so by the public listener's connection and stream limits; a task leaves the set when it runs
 * or is cancelled.
 */
final class TickedDelays {

    private static final Logger LOG = LoggerFactory.getLogger(TickedDelays.class);

    private final Set<Task> waiting = ConcurrentHashMap.newKeySet();
    private final LongSupplier nanoTime;

    TickedDelays(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs {@code task} at the first tick after {@code delay}, unless the returned handle is run first. */
    Runnable after(Duration delay, Runnable task) {
        Task waitingTask = new Task(nanoTime.getAsLong() + delay.toNanos(), task);
        waiting.add(waitingTask);
        return () -> waiting.remove(waitingTask);
    }

    /** On the ticker's thread: runs and forgets every task whose time has come; one that fails is logged. */
    void tick() {
        long now = nanoTime.getAsLong();
        for (Task task : waiting) {
            if (now - task.dueNanos >= 0 && waiting.remove(task)) {
                try {
                    task.action.run();
                } catch (RuntimeException e) {
                    LOG.error("a delayed long-lived connection task failed", e);
                }
            }
        }
    }

    /** Tasks waiting. */
    int size() {
        return waiting.size();
    }

    /** Compared by identity: two tasks due at the same nanosecond stay two. */
    private static final class Task {
        private final long dueNanos;
        private final Runnable action;

        Task(long dueNanos, Runnable action) {
            this.dueNanos = dueNanos;
            this.action = action;
        }
    }
}
