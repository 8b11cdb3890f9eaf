package io.gatehouse.policy.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gatehouse.policy.ClaimsRead;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code facts} member of a decision-log line (docs/operations.md, "Decision facts (for replay)"): the
 * {@link Request} the policy was asked about, in REQUEST.json's shape, so that {@code gatehouse-policy replay} can
 * decide it again. {@code identity} and {@code device} are null when anonymous or no device was presented.
 * {@code identity.claims} holds only the claims the config in force reads ({@link ClaimsRead}); {@code claims_captured}
 * names them (or says {@code "all"}), so that a replay can tell an absent claim from one not captured. {@code left_out}
 * names what the operator kept out of the log ({@code identity.claims.NAME}, or {@code all} when facts are off, and then
 * every other member is null): a replay that needs it refuses the line.
 */
@JsonPropertyOrder({"request", "identity", "device", "device_notes", "left_out"})
public record DecisionFacts(
        @JsonProperty("request") @Nullable RequestFacts request,
        @JsonProperty("identity") @Nullable IdentityFacts identity,
        @JsonProperty("device") @Nullable DeviceFacts device,
        @JsonProperty("device_notes") List<Note> deviceNotes,
        @JsonProperty("left_out") List<String> leftOut) {

    /** The {@code left_out} entry of a line written with facts switched off. */
    public static final String ALL = "all";
    /** The prefix of a {@code left_out} entry naming one claim. */
    public static final String CLAIM_PREFIX = "identity.claims.";

    public DecisionFacts {
        deviceNotes = List.copyOf(deviceNotes);
        leftOut = List.copyOf(leftOut);
    }

    /** The facts of a line written with facts switched off: nothing but {@code left_out: ["all"]}. */
    public static DecisionFacts off() {
        return new DecisionFacts(null, null, null, List.of(), List.of(ALL));
    }

    /**
     * The facts of {@code request}: its identity's claims cut down to those {@code read} names, less those in
     * {@code omitClaims}, which are named in {@code left_out} when the config reads them.
     */
    public static DecisionFacts of(Request request, ClaimsRead read, Set<String> omitClaims) {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(omitClaims, "omitClaims");
        List<String> leftOut = new ArrayList<>();
        Identity id = request.identity();
        IdentityFacts identity = null;
        if (id != null) {
            Map<String, List<String>> claims = new TreeMap<>();
            id.claims().forEach((name, values) -> {
                if (read.reads(name) && !omitClaims.contains(name)) {
                    claims.put(name, values);
                }
            });
            for (String name : new java.util.TreeSet<>(omitClaims)) {
                if (read.all() ? id.claims().containsKey(name) : read.reads(name)) {
                    leftOut.add(CLAIM_PREFIX + name);
                }
            }
            Object captured = read.all() ? ALL
                    : read.names().stream().filter(n -> !omitClaims.contains(n)).toList();
            identity = new IdentityFacts(id.sub(), id.email(), id.emailVerified(), id.groups(), claims, captured,
                    id.authTime() == null ? null : id.authTime().toString());
        }
        DevicePosture d = request.device();
        DeviceFacts device = d == null ? null : new DeviceFacts(d.id(), d.known(), d.managed(), d.trust().wireName(),
                d.diskEncrypted(), d.screenLock(), d.os(), d.osVersion(), d.owner(),
                d.reportedAt() == null ? null : d.reportedAt().toString(),
                d.reportedAt() == null ? null : Duration.between(d.reportedAt(), request.time()).toSeconds());
        return new DecisionFacts(new RequestFacts(request.method(), request.url().toString(), request.sourceIp(),
                request.time().toString()), identity, device,
                request.deviceNotes().stream().map(n -> new Note(n.code(), n.text())).toList(), leftOut);
    }

    /** The request as the policy saw it: method, URL (canonical path, no query), source address, decision time. */
    @JsonPropertyOrder({"method", "url", "source_ip", "time"})
    public record RequestFacts(@JsonProperty("method") String method, @JsonProperty("url") String url,
                               @JsonProperty("source_ip") String sourceIp, @JsonProperty("time") String time) {
    }

    /** Who asked, as the policy saw it; {@code claimsCaptured} is {@code "all"} or the list of names captured. */
    @JsonPropertyOrder({"sub", "email", "email_verified", "groups", "claims", "claims_captured", "auth_time"})
    public record IdentityFacts(@JsonProperty("sub") String sub, @JsonProperty("email") @Nullable String email,
                                @JsonProperty("email_verified") boolean emailVerified,
                                @JsonProperty("groups") List<String> groups,
                                @JsonProperty("claims") Map<String, List<String>> claims,
                                @JsonProperty("claims_captured") Object claimsCaptured,
                                @JsonProperty("auth_time") @Nullable String authTime) {
    }

    /** The device posture snapshot the policy judged, with its report's age in seconds at decision time. */
    @JsonPropertyOrder({"id", "known", "managed", "trust", "disk_encrypted", "screen_lock", "os", "os_version",
            "owner", "reported_at", "report_age_s"})
    public record DeviceFacts(@JsonProperty("id") String id, @JsonProperty("known") boolean known,
                              @JsonProperty("managed") boolean managed, @JsonProperty("trust") String trust,
                              @JsonProperty("disk_encrypted") boolean diskEncrypted,
                              @JsonProperty("screen_lock") boolean screenLock,
                              @JsonProperty("os") @Nullable String os,
                              @JsonProperty("os_version") @Nullable String osVersion,
                              @JsonProperty("owner") @Nullable String owner,
                              @JsonProperty("reported_at") @Nullable String reportedAt,
                              @JsonProperty("report_age_s") @Nullable Long reportAgeSeconds) {
    }

    /** Why a presented device counts unknown ({@link Reason}). */
    @JsonPropertyOrder({"code", "text"})
    public record Note(@JsonProperty("code") String code, @JsonProperty("text") String text) {
    }
}
