package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import io.gatehouse.deviceinventory.trust.TrustLevel;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The JSON of {@code GET /v1/devices/{id}} (snake_case on the wire); {@code trust} is computed at read time. */
public record DeviceView(
        String id,
        String owner,
        Platform os,
        @Nullable OsVersion osVersion,
        boolean managed,
        List<String> certSha256,
        boolean quarantined,
        @Nullable String quarantineReason,
        @Nullable Instant quarantinedAt,
        @Nullable ReportView report,
        TrustLevel trust,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** The latest posture report; {@code received_at} is when the inventory stored it. */
    public record ReportView(boolean diskEncrypted, boolean screenLock, Instant reportedAt, Instant receivedAt) {
    }

    static DeviceView of(Device d, TrustLevel trust) {
        Device.PostureReport r = d.report();
        return new DeviceView(d.id(), d.owner(), d.platform(), d.osVersion(), d.managed(), d.certSha256(),
                d.quarantined(), d.quarantineReason(), d.quarantinedAt(),
                r == null ? null : new ReportView(r.diskEncrypted(), r.screenLock(), r.reportedAt(), r.receivedAt()),
                trust, d.version(), d.createdAt(), d.updatedAt());
    }

    /** One page of {@code GET /v1/devices}. */
    public record PageView(List<DeviceView> items, int page, int size, long total) {
    }
}
