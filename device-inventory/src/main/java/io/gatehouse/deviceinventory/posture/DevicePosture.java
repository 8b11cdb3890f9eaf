package io.gatehouse.deviceinventory.posture;

import io.gatehouse.deviceinventory.device.Device;
import io.gatehouse.deviceinventory.trust.TrustLevel;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The posture answer. Field names (snake_case on the wire) are exactly those of the {@code device} object in
 * REQUEST.json (docs/design.md, "The policy CLI"): the gateway hands this JSON to the policy as it is. Without a report
 * {@code disk_encrypted} and {@code screen_lock} are false and {@code reported_at} is null.
 */
public record DevicePosture(
        String id,
        boolean known,
        boolean managed,
        TrustLevel trust,
        boolean diskEncrypted,
        boolean screenLock,
        String os,
        @Nullable String osVersion,
        String owner,
        @Nullable Instant reportedAt) {

    static DevicePosture of(Device d, TrustLevel trust) {
        Device.PostureReport r = d.report();
        return new DevicePosture(d.id(), true, d.managed(), trust, r != null && r.diskEncrypted(),
                r != null && r.screenLock(), d.platform().wireName(),
                d.osVersion() == null ? null : d.osVersion().text(), d.owner(), r == null ? null : r.reportedAt());
    }
}
