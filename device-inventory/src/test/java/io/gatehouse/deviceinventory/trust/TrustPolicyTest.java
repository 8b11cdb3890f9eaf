package io.gatehouse.deviceinventory.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trust table: each threshold from both sides, with a fixed clock. */
class TrustPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant NOW = CLOCK.instant();
    private final TrustPolicy policy = new TrustPolicy(Duration.ofHours(24), Duration.ofDays(7),
            Map.of(Platform.MACOS, v("15.2")));

    private static OsVersion v(String text) {
        return OsVersion.parse(text).orElseThrow();
    }

    /** A device that meets every rule of high; each test changes one fact. */
    private static TrustFacts good() {
        return new TrustFacts(Platform.MACOS, true, false, true, true, v("15.3"), NOW.minus(Duration.ofHours(1)));
    }

    private static TrustFacts with(Platform p, boolean managed, boolean quarantined, boolean disk, boolean lock,
                                   OsVersion os, Instant reportedAt) {
        return new TrustFacts(p, managed, quarantined, disk, lock, os, reportedAt);
    }

    private TrustLevel eval(TrustFacts f) {
        return policy.evaluate(f, CLOCK.instant());
    }

    @Test
    void evaluateWhenEveryRuleHoldsThenHigh() {
        assertThat(eval(good())).isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void evaluateWhenNotManagedThenUntrusted() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), false, false, true, true, g.osVersion(), g.reportedAt())))
                .isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void evaluateWhenQuarantinedThenUntrusted() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, true, true, true, g.osVersion(), g.reportedAt())))
                .isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void evaluateWhenNoReportThenUntrusted() {
        assertThat(eval(new TrustFacts(Platform.MACOS, true, false, false, false, null, null)))
                .isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void evaluateWhenDiskNotEncryptedThenBasic() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, false, true, g.osVersion(), g.reportedAt())))
                .isEqualTo(TrustLevel.BASIC);
    }

    @Test
    void evaluateWhenNoScreenLockThenBasic() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, false, g.osVersion(), g.reportedAt())))
                .isEqualTo(TrustLevel.BASIC);
    }

    @Test
    void evaluateWhenOsExactlyAtMinimumThenHigh() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, true, v("15.2"), g.reportedAt())))
                .isEqualTo(TrustLevel.HIGH);
        assertThat(eval(with(g.platform(), true, false, true, true, v("15.2.0"), g.reportedAt())))
                .isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void evaluateWhenOsBelowMinimumThenBasic() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, true, v("15.1.9"), g.reportedAt())))
                .isEqualTo(TrustLevel.BASIC);
    }

    @Test
    void evaluateComparesOsSegmentsNumerically() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, true, v("15.10"), g.reportedAt())))
                .isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void evaluateWhenPlatformHasNoMinimumThenAnyVersionCounts() {
        TrustFacts g = good();
        assertThat(eval(with(Platform.LINUX, true, false, true, true, v("1"), g.reportedAt())))
                .isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void evaluateWhenReportExactly24hOldThenHigh() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, true, g.osVersion(), NOW.minus(Duration.ofHours(24)))))
                .isEqualTo(TrustLevel.HIGH);
    }

    @Test
    void evaluateWhenReportJustOver24hOldThenBasic() {
        TrustFacts g = good();
        Instant at = NOW.minus(Duration.ofHours(24)).minusSeconds(1);
        assertThat(eval(with(g.platform(), true, false, true, true, g.osVersion(), at))).isEqualTo(TrustLevel.BASIC);
    }

    @Test
    void evaluateWhenReportExactly7dOldThenBasic() {
        TrustFacts g = good();
        assertThat(eval(with(g.platform(), true, false, true, true, g.osVersion(), NOW.minus(Duration.ofDays(7)))))
                .isEqualTo(TrustLevel.BASIC);
    }

    @Test
    void evaluateWhenReportJustOver7dOldThenUntrusted() {
        TrustFacts g = good();
        Instant at = NOW.minus(Duration.ofDays(7)).minusSeconds(1);
        assertThat(eval(with(g.platform(), true, false, true, true, g.osVersion(), at)))
                .isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void evaluateWhenTimePassesThenTheSameFactsAge() {
        TrustFacts g = good();
        assertThat(policy.evaluate(g, NOW.plus(Duration.ofHours(24)))).isEqualTo(TrustLevel.BASIC);
        assertThat(policy.evaluate(g, NOW.plus(Duration.ofDays(7)))).isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void evaluateUsesConfiguredThresholds() {
        TrustPolicy strict = new TrustPolicy(Duration.ofHours(1), Duration.ofHours(2), Map.of());
        TrustFacts g = good();
        Instant ninetyMinutes = NOW.minus(Duration.ofMinutes(90));
        assertThat(strict.evaluate(with(g.platform(), true, false, true, true, g.osVersion(), ninetyMinutes), NOW))
                .isEqualTo(TrustLevel.BASIC);
        assertThat(strict.evaluate(with(g.platform(), true, false, true, true, g.osVersion(),
                NOW.minus(Duration.ofHours(3))), NOW)).isEqualTo(TrustLevel.UNTRUSTED);
    }

    @Test
    void propertiesWithUnknownPlatformFailNamingTheKey() {
        TrustProperties p = new TrustProperties(null, null, Map.of("plan9", "1"));
        assertThatThrownBy(p::minimums).hasMessageContaining("\"plan9\" is not one of");
    }

    @Test
    void propertiesWithBadVersionFailNamingTheKey() {
        TrustProperties p = new TrustProperties(null, null, Map.of("macos", "15.x"));
        assertThatThrownBy(p::minimums).hasMessageContaining("inventory.trust.min-os-version.macos");
    }

    @Test
    void propertiesDefaultTo24hAnd7d() {
        TrustProperties p = new TrustProperties(null, null, null);
        assertThat(p.highAge()).isEqualTo(Duration.ofHours(24));
        assertThat(p.basicAge()).isEqualTo(Duration.ofDays(7));
    }
}
