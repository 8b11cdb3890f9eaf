package io.gatehouse.deviceinventory.trust;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of {@link TrustPolicy} as one SQL expression over the {@code device d} row, so list filters and the
 * trust gauges count in the database what a single read computes in Java (an integration test checks they agree).
 * The expression takes two timestamp parameters, {@code :high_cutoff} and {@code :basic_cutoff}; the minimums are
 * written into it as integer-array literals built from parsed versions (digits only) and enum names.
 */
public final class TrustSql {

    private final TrustPolicy policy;
    private final String expression;

    public TrustSql(TrustPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        StringBuilder os = new StringBuilder("(d.os_version_key is not null and case d.platform");
        for (Platform platform : Platform.values()) {
            OsVersion min = policy.minimum(platform);
            if (min != null) {
                os.append(" when '").append(platform.wireName()).append("' then d.os_version_key >= '")
                        .append(min.arrayLiteral()).append("'::integer[]");
            }
        }
        os.append(" else true end)");
        this.expression = "(case when d.managed and not d.quarantined and d.reported_at is not null "
                + "and d.reported_at >= :basic_cutoff then "
                + "case when d.reported_at >= :high_cutoff and d.disk_encrypted and d.screen_lock and " + os
                + " then 'high' else 'basic' end else 'untrusted' end)";
    }

    /** The SQL expression; its value is a {@link TrustLevel#wireName()}. */
    public String expression() {
        return expression;
    }

    /** The two cutoff parameters for {@code now}. */
    public Map<String, Object> parameters(Instant now) {
        return Map.of("high_cutoff", java.sql.Timestamp.from(now.minus(policy.highAge())),
                "basic_cutoff", java.sql.Timestamp.from(now.minus(policy.basicAge())));
    }
}
