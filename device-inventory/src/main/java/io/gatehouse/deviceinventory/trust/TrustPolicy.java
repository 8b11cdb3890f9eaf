package io.gatehouse.deviceinventory.trust;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The trust rules of docs/design.md, "Device identity and posture":
 * <ol>
 *   <li>{@code high}: managed, not quarantined, a report at most {@code high-max-report-age} old (24h) saying disk
 *       encrypted and screen lock on, and an OS version at or above the platform's minimum;</li>
 *   <li>{@code basic}: managed, not quarantined, a report at most {@code basic-max-report-age} old (7d);</li>
 *   <li>{@code untrusted}: everything else, including no report at all.</li>
 * </ol>
 * A report dated in the future (agent clock ahead) counts as age zero; the report endpoint refuses reports more
 * than a few minutes ahead, so this cannot be used to stay fresh.
 */
public final class TrustPolicy {

    private final Duration highAge;
    private final Duration basicAge;
    private final Map<Platform, OsVersion> minimums;

    public TrustPolicy(Duration highAge, Duration basicAge, Map<Platform, OsVersion> minimums) {
        this.highAge = Objects.requireNonNull(highAge, "highAge");
        this.basicAge = Objects.requireNonNull(basicAge, "basicAge");
        this.minimums = Map.copyOf(Objects.requireNonNull(minimums, "minimums"));
        if (highAge.isNegative() || basicAge.isNegative()) {
            throw new IllegalArgumentException("inventory.trust report ages must not be negative");
        }
    }

    public static TrustPolicy from(TrustProperties properties) {
        return new TrustPolicy(properties.highAge(), properties.basicAge(), properties.minimums());
    }

    /** The level for these facts at {@code now}. */
    public TrustLevel evaluate(TrustFacts facts, Instant now) {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(now, "now");
        Instant reportedAt = facts.reportedAt();
        if (!facts.managed() || facts.quarantined() || reportedAt == null) {
            return TrustLevel.UNTRUSTED;
        }
        Duration age = Duration.between(reportedAt, now);
        if (age.compareTo(basicAge) > 0) {
            return TrustLevel.UNTRUSTED;
        }
        boolean high = age.compareTo(highAge) <= 0
                && facts.diskEncrypted()
                && facts.screenLock()
                && osAtLeastMinimum(facts.platform(), facts.osVersion());
        return high ? TrustLevel.HIGH : TrustLevel.BASIC;
    }

    /** The configured minimum for a platform; null when it has none. */
    public @Nullable OsVersion minimum(Platform platform) {
        return minimums.get(platform);
    }

    public Duration highAge() {
        return highAge;
    }

    public Duration basicAge() {
        return basicAge;
    }

    private boolean osAtLeastMinimum(Platform platform, @Nullable OsVersion version) {
        if (version == null) {
            return false;
        }
        OsVersion minimum = minimums.get(platform);
        return minimum == null || version.compareTo(minimum) >= 0;
    }
}
