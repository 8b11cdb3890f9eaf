package io.gatehouse.policy;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the device inventory knows about the presented device. The field names are those of the {@code device}
 * object in REQUEST.json and of the inventory's {@code GET /v1/posture} answer (docs/design.md), so the gateway passes
 * the inventory's JSON through as it is. A device the inventory does not know, or could not be asked about, is
 * {@link #unknown(String, String)}: {@code known=false}, trust {@code untrusted}, and nothing else true.
 */
public record DevicePosture(
        String id,
        boolean known,
        boolean managed,
        TrustLevel trust,
        boolean diskEncrypted,
        boolean screenLock,
        @Nullable String os,
        @Nullable String osVersion,
        @Nullable String owner,
        @Nullable Instant reportedAt) {

    public DevicePosture {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trust, "trust");
    }

    /**
     * A presented device that counts as unknown; {@code id} is what identifies it (e.g. the certificate
     * fingerprint) and {@code why} is not stored here: the caller puts it in a {@link Reason}.
     */
    public static DevicePosture unknown(String id, String why) {
        Objects.requireNonNull(why, "why");
        return new DevicePosture(id, false, false, TrustLevel.UNTRUSTED, false, false, null, null, null, null);
    }
}
