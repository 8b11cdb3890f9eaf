package io.gatehouse.gateway.problem;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * WARN lines for answers that a dependency's outage repeats on every request (upstream 502/504, session store or
 * issuer 503): the first {@code perWindow} of each kind per window are logged, the rest are counted in
 * {@code gatehouse_requests_warnings_suppressed_total{kind}} and summed up in one line when the next window opens.
 * An outage under load would otherwise write one line per request (megabytes a minute) and bury everything else;
 * the decision log still has one line per request. Kinds are a fixed set of answer codes, so the map stays small.
 */
public final class OutageWarnings {

    /** Per kind and window: the first few are logged. */
    public static final int DEFAULT_PER_WINDOW = 10;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

    private final int perWindow;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Consumer<String> log;
    private final MeterRegistry meters;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public OutageWarnings(int perWindow, Duration window, LongSupplier nanoTime, Consumer<String> log,
                          MeterRegistry meters) {
        this.perWindow = perWindow;
        this.windowNanos = window.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.log = Objects.requireNonNull(log, "log");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /** Logs {@code message} unless this window already logged {@code perWindow} of {@code kind}. */
    public void warn(String kind, String message) {
        Window window = windows.computeIfAbsent(kind, k -> new Window(nanoTime.getAsLong(), Counter
                .builder("gatehouse.requests.warnings.suppressed").tag("kind", k)
                .description("WARN lines left out during an outage (the first few per minute and kind are logged)")
                .register(meters)));
        String summary = null;
        boolean write;
        synchronized (window) {
            long now = nanoTime.getAsLong();
            if (now - window.started >= windowNanos) {
                if (window.suppressed > 0) {
                    summary = window.suppressed + " more warnings of kind " + kind + " in the last "
                            + Duration.ofNanos(windowNanos).toSeconds() + " s were not logged (the decision log has"
                            + " every request)";
                }
                window.started = now;
                window.logged = 0;
                window.suppressed = 0;
            }
            write = window.logged < perWindow;
            if (write) {
                window.logged++;
            } else {
                window.suppressed++;
            }
        }
        if (summary != null) {
            log.accept(summary);
        }
        if (write) {
            log.accept(message);
        } else {
            window.counter.increment();
        }
    }

    private static final class Window {
        private long started;
        private int logged;
        private long suppressed;
        private final Counter counter;

        private Window(long started, Counter counter) {
            this.started = started;
            this.counter = counter;
        }
    }
}
