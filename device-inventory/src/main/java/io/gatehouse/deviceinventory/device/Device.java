package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One device as stored: its registered facts, certificates, quarantine state and latest posture report
 * ({@code report} null until the first one arrives). {@code version} grows by one with every change and is the
 * ETag. Trust is not stored: it is computed at read time, because it changes with the passing of time alone.
 */
public record Device(
        String id,
        String owner,
        Platform platform,
        @Nullable OsVersion osVersion,
        boolean managed,
        List<String> certSha256,
        boolean quarantined,
        @Nullable String quarantineReason,
        @Nullable Instant quarantinedAt,
        @Nullable PostureReport report,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(platform, "platform");
        certSha256 = List.copyOf(certSha256);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The latest posture report as an MDM or agent sent it; {@code receivedAt} is our clock's time. */
    public record PostureReport(boolean diskEncrypted, boolean screenLock, Instant reportedAt, Instant receivedAt) {
        public PostureReport {
            Objects.requireNonNull(reportedAt, "reportedAt");
            Objects.requireNonNull(receivedAt, "receivedAt");
        }
    }

    public io.gatehouse.deviceinventory.trust.TrustFacts trustFacts() {
        return new io.gatehouse.deviceinventory.trust.TrustFacts(platform, managed, quarantined,
                report != null && report.diskEncrypted(), report != null && report.screenLock(), osVersion,
                report == null ? null : report.reportedAt());
    }
}
