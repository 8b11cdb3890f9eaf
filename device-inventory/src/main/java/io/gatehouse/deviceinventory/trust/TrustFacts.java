package io.gatehouse.deviceinventory.trust;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What trust is computed from. {@code reportedAt} null means no posture report yet; then the report fields are false.
 */
public record TrustFacts(
        Platform platform,
        boolean managed,
        boolean quarantined,
        boolean diskEncrypted,
        boolean screenLock,
        @Nullable OsVersion osVersion,
        @Nullable Instant reportedAt) {

    public TrustFacts {
        Objects.requireNonNull(platform, "platform");
    }
}
