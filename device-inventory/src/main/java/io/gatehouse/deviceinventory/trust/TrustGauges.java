package io.gatehouse.deviceinventory.trust;

import io.gatehouse.deviceinventory.device.DeviceRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * {@code inventory.devices{trust=high|basic|untrusted}}: how many devices have each level now. Counted in SQL with
 * {@link TrustSql} when a scrape reads the gauge, at most once per {@link #MAX_AGE}; when the database cannot
 * answer the last counts stay (the readiness probe reports the database, not this gauge).
 */
@Component
class TrustGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(TrustGauges.class);

    private final DeviceRepository devices;
    private final TrustSql trustSql;
    private final Clock clock;
    private Map<TrustLevel, Long> counts = new EnumMap<>(TrustLevel.class);
    private Instant countedAt = Instant.MIN;

    TrustGauges(DeviceRepository devices, TrustSql trustSql, Clock clock, MeterRegistry registry) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.trustSql = Objects.requireNonNull(trustSql, "trustSql");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (TrustLevel level : TrustLevel.values()) {
            Gauge.builder("inventory.devices", this, g -> g.count(level))
                    .description("devices by trust level, computed now")
                    .tag("trust", level.wireName())
                    .register(registry);
        }
    }

    synchronized double count(TrustLevel level) {
        Instant now = clock.instant();
        if (countedAt.plus(MAX_AGE).isBefore(now)) {
            try {
                counts = new EnumMap<>(devices.countByTrust(trustSql, now));
                countedAt = now;
            } catch (DataAccessException e) {
                log.warn("cannot count devices by trust: {}", e.getMessage());
            }
        }
        return counts.getOrDefault(level, 0L);
    }
}
