package io.gatehouse.deviceinventory.trust;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * {@code inventory.devices{trust=high|basic|untrusted}}: how many devices have each level. Counted in SQL with
 * {@link TrustSql} on one daemon thread every {@code inventory.trust.gauge-interval} (default 30 s), starting at
 * startup; a scrape reads the last counts and runs no SQL, so scrapes neither load the database nor wait on it.
 * When the database cannot answer, the last counts stay and {@code inventory_devices_count_failures_total} goes up
 * (the readiness probe reports the database, not this gauge).
 */
@Component
class TrustGauges implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrustGauges.class);

    private final TrustCounts devices;
    private final TrustSql trustSql;
    private final Clock clock;
    private final Duration interval;
    private final Counter failures;
    private volatile Map<TrustLevel, Long> counts = new EnumMap<>(TrustLevel.class);
    private ScheduledExecutorService timer;

    TrustGauges(TrustCounts devices, TrustSql trustSql, Clock clock, MeterRegistry registry,
                TrustProperties properties) {
        Duration interval = properties.gaugeEvery();
        this.devices = Objects.requireNonNull(devices, "devices");
        this.trustSql = Objects.requireNonNull(trustSql, "trustSql");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
        for (TrustLevel level : TrustLevel.values()) {
            Gauge.builder("inventory.devices", this, g -> g.count(level))
                    .description("devices by trust level, counted every " + interval)
                    .tag("trust", level.wireName())
                    .register(registry);
        }
        this.failures = Counter.builder("inventory.devices.count.failures")
                .description("device counts by trust that the database did not answer").register(registry);
    }

    double count(TrustLevel level) {
        return counts.getOrDefault(level, 0L);
    }

    void refresh() {
        try {
            counts = new EnumMap<>(devices.countByTrust(trustSql, clock.instant()));
        } catch (DataAccessException e) {
            failures.increment();
            log.warn("cannot count devices by trust: {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "inventory-trust-gauges");
            thread.setDaemon(true);
            return thread;
        });
        t.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        timer = t;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
