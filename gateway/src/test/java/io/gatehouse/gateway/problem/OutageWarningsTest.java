package io.gatehouse.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutageWarningsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<String> written = new ArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final OutageWarnings warnings = new OutageWarnings(3, Duration.ofSeconds(60), nanos::get,
            written::add, meters);

    @Test
    void warningWhenOutageFloodsThenFirstFewPerWindowAndACountOfTheRest() {
        for (int i = 0; i < 1_000; i++) {
            warnings.warn("upstream-unavailable", "request " + i + ": 502");
        }
        assertThat(written).containsExactly("request 0: 502", "request 1: 502", "request 2: 502");
        assertThat(meters.counter("gatehouse.requests.warnings.suppressed", "kind", "upstream-unavailable").count())
                .isEqualTo(997);

        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        warnings.warn("upstream-unavailable", "request 1000: 502");

        assertThat(written).endsWith(
                "997 more warnings of kind upstream-unavailable in the last 60 s were not logged (the decision log has"
                        + " every request)",
                "request 1000: 502");
    }

    @Test
    void warningWhenKindsDifferThenEachHasItsOwnBudget() {
        for (int i = 0; i < 5; i++) {
            warnings.warn("a", "a" + i);
            warnings.warn("b", "b" + i);
        }
        assertThat(written).containsExactly("a0", "b0", "a1", "b1", "a2", "b2");
    }
}
