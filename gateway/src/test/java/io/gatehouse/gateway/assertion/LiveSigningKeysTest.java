package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The key-window gauges the retirement alert reads follow the ring in force, reload after reload. */
class LiveSigningKeysTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(2);
    private static final Instant K1_RETIRES = T0.plus(Duration.ofDays(20));

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(T0);
    private final AtomicReference<List<SigningKey>> onDisk = new AtomicReference<>();

    @Test
    void reloadWhenKeyAddedThenItGetsRowsAndWhenOldKeyRetiredThenItsRowsGo() throws Exception {
        SigningKey k1 = new SigningKey("k1", ec("k1"), null, K1_RETIRES);
        SigningKey k2 = new SigningKey("k2", ec("k2"), null, null);
        LiveSigningKeys live = new LiveSigningKeys(new SigningKeys(List.of(k1), TTL), onDisk::get, Duration.ZERO,
                clock, meters, null, Duration.ofSeconds(10));

        assertThat(gauge("gatehouse.signing.key.retire.after"))
                .containsExactlyEntriesOf(Map.of("k1", (double) K1_RETIRES.getEpochSecond()));
        assertThat(gauge("gatehouse.signing.key.not.before"))
                .containsExactlyEntriesOf(Map.of("k1", Double.NEGATIVE_INFINITY));

        onDisk.set(List.of(k1, k2));
        live.reload();

        assertThat(gauge("gatehouse.signing.key.retire.after"))
                .containsOnly(Map.entry("k1", (double) K1_RETIRES.getEpochSecond()),
                        Map.entry("k2", Double.POSITIVE_INFINITY));
        // a new key without a configured not-before signs from the reload on (publish-ahead 0 here)
        assertThat(gauge("gatehouse.signing.key.not.before")).containsEntry("k2", (double) T0.getEpochSecond());

        onDisk.set(List.of(k2));
        clock.now = T0.plus(Duration.ofHours(1)); // k1 left the files: retired ttl + skew after that, so gone by then
        live.reload();
        clock.now = T0.plus(Duration.ofHours(2));
        live.reload();

        assertThat(gauge("gatehouse.signing.key.retire.after")).containsOnlyKeys("k2");
        assertThat(gauge("gatehouse.signing.key.not.before")).containsOnlyKeys("k2");
    }

    @Test
    void reloadWhenRefusedThenRowsOfTheKeptRingStay() throws Exception {
        SigningKey k1 = new SigningKey("k1", ec("k1"), null, K1_RETIRES);
        LiveSigningKeys live = new LiveSigningKeys(new SigningKeys(List.of(k1), TTL), onDisk::get, Duration.ZERO,
                clock, meters, null, Duration.ofSeconds(10));

        onDisk.set(List.of(new SigningKey("k1", ec("k1"), null, null))); // same kid, another key: refused
        live.reload();

        assertThat(gauge("gatehouse.signing.key.retire.after"))
                .containsExactlyEntriesOf(Map.of("k1", (double) K1_RETIRES.getEpochSecond()));
        assertThat(meters.get("gatehouse.signing.keys.reload.failures").counter().count()).isEqualTo(1.0);
    }

    private Map<String, Double> gauge(String name) {
        return meters.find(name).gauges().stream()
                .collect(Collectors.toMap(g -> g.getId().getTag("kid"), Gauge::value));
    }

    private static ECKey ec(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
