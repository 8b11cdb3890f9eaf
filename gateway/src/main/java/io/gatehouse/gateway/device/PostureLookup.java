package io.gatehouse.gateway.device;

import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Reason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The answer for one fingerprint: the posture, and a note when it counts as unknown (not enrolled, unreachable). */
public record PostureLookup(DevicePosture posture, @Nullable Reason note) {

    public static final String NOT_ENROLLED = "device-not-enrolled";
    public static final String UNREACHABLE = "device-inventory-unreachable";
    public static final String CERTIFICATE_INVALID = "device-certificate-invalid";

    public PostureLookup {
        Objects.requireNonNull(posture, "posture");
    }

    static PostureLookup notEnrolled(String sha256) {
        return new PostureLookup(DevicePosture.unknown(sha256, "not enrolled"), new Reason(NOT_ENROLLED,
                "device certificate " + abbreviate(sha256) + " is not enrolled in the device inventory;"
                        + " device counts as unknown"));
    }

    static PostureLookup unreachable(String sha256, String why) {
        return new PostureLookup(DevicePosture.unknown(sha256, why), new Reason(UNREACHABLE,
                "device inventory unreachable (" + why + "); device counts as unknown"));
    }

    static String abbreviate(String sha256) {
        return sha256.length() > 16 ? sha256.substring(0, 16) + "…" : sha256;
    }
}
