package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import io.gatehouse.deviceinventory.web.ApiProblem.FieldError;
import io.gatehouse.deviceinventory.web.ApiProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies clients send, and their checks. Jackson refuses unknown fields and wrong types before these
 * run; {@code check()} then collects every remaining problem (missing, malformed, unknown platform) with the
 * field's JSON name and throws them together as one 400.
 */
public final class DeviceRequests {

    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    static final int MAX_CERTIFICATES = 16;
    static final int MAX_REASON = 500;

    private DeviceRequests() {
    }

    /** {@code PUT /v1/devices/{id}}: the registered facts; replaces them all. */
    public record Upsert(@Nullable String owner, @Nullable String os, @Nullable String osVersion,
                         @Nullable Boolean managed, @Nullable List<String> certSha256) {

        Checked check() {
            List<FieldError> errors = new ArrayList<>();
            String ownerValue = null;
            if (owner == null) {
                errors.add(new FieldError("owner", "is required (the owner's email)"));
            } else if (owner.length() > 254 || !EMAIL.matcher(owner).matches()) {
                errors.add(new FieldError("owner", "\"" + owner + "\" is not an email address"));
            } else {
                ownerValue = owner.toLowerCase(Locale.ROOT);
            }
            Platform platform = null;
            if (os == null) {
                errors.add(new FieldError("os", "is required; one of " + Platform.wireNames()));
            } else {
                platform = Platform.parse(os).orElse(null);
                if (platform == null) {
                    errors.add(new FieldError("os", "\"" + os + "\" is not one of " + Platform.wireNames()));
                }
            }
            OsVersion version = osVersion == null ? null : version("os_version", osVersion, errors);
            if (managed == null) {
                errors.add(new FieldError("managed", "is required (true or false)"));
            }
            List<String> certs = fingerprints(certSha256 == null ? List.of() : certSha256, errors);
            if (!errors.isEmpty()) {
                throw ApiProblem.invalid(errors);
            }
            return new Checked(ownerValue, platform, version, managed, certs);
        }

        record Checked(String owner, Platform platform, @Nullable OsVersion osVersion, boolean managed,
                       List<String> certSha256) {
        }
    }

    /** {@code POST /v1/devices/{id}/reports}: what an MDM or agent observed, and when. */
    public record Report(@Nullable Boolean diskEncrypted, @Nullable Boolean screenLock, @Nullable String osVersion,
                         @Nullable Instant reportedAt) {

        Checked check(Instant now, java.time.Duration maxAhead) {
            List<FieldError> errors = new ArrayList<>();
            if (diskEncrypted == null) {
                errors.add(new FieldError("disk_encrypted", "is required (true or false)"));
            }
            if (screenLock == null) {
                errors.add(new FieldError("screen_lock", "is required (true or false)"));
            }
            OsVersion version = null;
            if (osVersion == null) {
                errors.add(new FieldError("os_version", "is required, e.g. \"15.3\""));
            } else {
                version = version("os_version", osVersion, errors);
            }
            Instant at = reportedAt == null ? now : reportedAt;
            if (at.isAfter(now.plus(maxAhead))) {
                errors.add(new FieldError("reported_at", at + " is in the future (more than " + maxAhead
                        + " ahead of the inventory's clock " + now + ")"));
            }
            if (!errors.isEmpty()) {
                throw ApiProblem.invalid(errors);
            }
            return new Checked(diskEncrypted, screenLock, version, at);
        }

        record Checked(boolean diskEncrypted, boolean screenLock, OsVersion osVersion, Instant reportedAt) {
        }
    }

    /** {@code POST /v1/devices/{id}/quarantine} (reason required) and {@code /release} (reason optional). */
    public record Reason(@Nullable String reason) {

        @Nullable String check(boolean required) {
            if (reason == null || reason.isBlank()) {
                if (required) {
                    throw ApiProblem.invalid("reason", "is required: say why the device is quarantined");
                }
                return null;
            }
            if (reason.length() > MAX_REASON) {
                throw ApiProblem.invalid("reason", "is longer than " + MAX_REASON + " characters");
            }
            return reason.strip();
        }
    }

    static void checkId(String id) {
        if (!DEVICE_ID.matcher(id).matches()) {
            throw ApiProblem.invalid("id", "\"" + id + "\" is not a device id ([A-Za-z0-9][A-Za-z0-9._-]{0,63})");
        }
    }

    /** Lower-case fingerprint; throws a 400 naming {@code field} when it is not 64 hex digits. */
    public static String fingerprint(String field, String value) {
        if (!SHA256.matcher(value).matches()) {
            throw ApiProblem.invalid(field, "\"" + value + "\" is not a SHA-256 fingerprint (64 hex digits)");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static @Nullable OsVersion version(String field, String text, List<FieldError> errors) {
        OsVersion v = OsVersion.parse(text).orElse(null);
        if (v == null) {
            errors.add(new FieldError(field, "\"" + text + "\" is not a version like 15.3 (1-4 numbers and dots)"));
        }
        return v;
    }

    private static List<String> fingerprints(List<String> values, List<FieldError> errors) {
        if (values.size() > MAX_CERTIFICATES) {
            errors.add(new FieldError("cert_sha256", "has " + values.size() + " entries; at most "
                    + MAX_CERTIFICATES));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            String field = "cert_sha256[" + i + "]";
            if (v == null || !SHA256.matcher(v).matches()) {
                errors.add(new FieldError(field, "\"" + v + "\" is not a SHA-256 fingerprint (64 hex digits)"));
            } else if (!seen.add(v.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "is listed twice"));
            } else {
                out.add(v.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
