package io.gatehouse.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LiveConfig}'s settle rule with a clock the test moves: a change loads only once it stopped changing. */
class LiveConfigSettleTest {

    private static final String EMPTY = "routes: []\n";
    private static final String ONE_ROUTE = """
            routes:
              - {id: echo, from: https://localhost, to: http://127.0.0.1:9, policy: {allow: [{name: a, public: true}]}}
            """;

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private LiveConfig start(Duration settle) throws IOException {
        Path file = dir.resolve("gatehouse.yaml");
        Files.writeString(file, EMPTY);
        return new LiveConfig(file, meters, settle, clock);
    }

    @Test
    void reloadWhenChangeIsYoungerThanSettleIntervalThenOldConfigStaysUntilItIsOlder() throws IOException {
        LiveConfig config = start(Duration.ofSeconds(1));
        Files.writeString(config.file(), ONE_ROUTE);

        assertThat(config.reload()).isFalse();
        clock.advance(Duration.ofMillis(500));
        assertThat(config.reload()).isFalse();
        assertThat(config.current().routes()).isEmpty();
        assertThat(config.untilSettled()).isEqualTo(Duration.ofMillis(500));
        clock.advance(Duration.ofMillis(500));

        assertThat(config.reload()).isTrue();
        assertThat(config.current().routes()).hasSize(1);
        assertThat(config.untilSettled()).isNull();
    }

    @Test
    void reloadWhenFileKeepsChangingThenNothingIsLoadedAndEachChangeIsCounted() throws IOException {
        LiveConfig config = start(Duration.ofSeconds(1));

        for (int i = 0; i < 10; i++) {
            Files.writeString(config.file(), ONE_ROUTE + "# edit " + i + "\n");
            assertThat(config.reload()).isFalse();
            clock.advance(Duration.ofMillis(900));
        }

        assertThat(config.current().routes()).isEmpty();
        assertThat(meters.counter("gatehouse.config.reload.unsettled").count()).isEqualTo(9);
    }

    @Test
    void reloadWhenSettleIntervalZeroThenFirstLookLoads() throws IOException {
        LiveConfig config = start(Duration.ZERO);
        Files.writeString(config.file(), ONE_ROUTE);

        assertThat(config.reload()).isTrue();
        assertThat(config.current().routes()).hasSize(1);
    }

    /** A clock that stands still until the test moves it. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
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
