package io.gatehouse.deviceinventory.trust;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * {@code inventory.trust.*}: how fresh a report must be for each level and the minimum OS version per platform.
 * A platform without a configured minimum has no OS requirement (any parseable version counts); the shipped
 * {@code application.yaml} configures every platform. Versions are checked at start-up, so a typo fails the start.
 *
 * @param highMaxReportAge a report older than this cannot give {@code high} (default 24h)
 * @param basicMaxReportAge a report older than this cannot give {@code basic} (default 7d)
 * @param minOsVersion per platform wire name ({@code macOS}: {@code "15.2"})
 * @param gaugeInterval how often {@code inventory_devices{trust}} is counted (default 30s, positive)
 */
@ConfigurationProperties("inventory.trust")
public record TrustProperties(
        @Nullable Duration highMaxReportAge,
        @Nullable Duration basicMaxReportAge,
        @Nullable Map<String, String> minOsVersion,
        @Nullable Duration gaugeInterval) {

    @ConstructorBinding
    public TrustProperties {
    }

    public TrustProperties(@Nullable Duration highMaxReportAge, @Nullable Duration basicMaxReportAge,
                           @Nullable Map<String, String> minOsVersion) {
        this(highMaxReportAge, basicMaxReportAge, minOsVersion, null);
    }

    /** How often the trust gauges count the devices; throws {@link IllegalArgumentException} when not positive. */
    public Duration gaugeEvery() {
        Duration every = gaugeInterval == null ? Duration.ofSeconds(30) : gaugeInterval;
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("inventory.trust.gauge-interval must be positive, not " + every);
        }
        return every;
    }

    public Duration highAge() {
        return highMaxReportAge == null ? Duration.ofHours(24) : highMaxReportAge;
    }

    public Duration basicAge() {
        return basicMaxReportAge == null ? Duration.ofDays(7) : basicMaxReportAge;
    }

    /** The minimums, parsed; throws {@link IllegalArgumentException} naming the bad key or value. */
    public Map<Platform, OsVersion> minimums() {
        Map<Platform, OsVersion> out = new EnumMap<>(Platform.class);
        if (minOsVersion != null) {
            minOsVersion.forEach((key, value) -> {
                Platform platform = Platform.parse(key).orElseThrow(() -> new IllegalArgumentException(
                        "inventory.trust.min-os-version: \"" + key + "\" is not one of " + Platform.wireNames()));
                OsVersion version = OsVersion.parse(Objects.requireNonNullElse(value, "")).orElseThrow(() ->
                        new IllegalArgumentException("inventory.trust.min-os-version." + key + ": \"" + value
                                + "\" is not a version like 15.2 (digits and dots)"));
                out.put(platform, version);
            });
        }
        return out;
    }
}
