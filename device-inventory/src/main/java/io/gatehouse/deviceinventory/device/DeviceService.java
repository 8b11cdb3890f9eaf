package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.audit.HistoryEntry.Action;
import io.gatehouse.deviceinventory.audit.HistoryEntry.Change;
import io.gatehouse.deviceinventory.audit.HistoryRepository;
import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.trust.TrustLevel;
import io.gatehouse.deviceinventory.trust.TrustPolicy;
import io.gatehouse.deviceinventory.trust.TrustSql;
import io.gatehouse.deviceinventory.web.Actor;
import io.gatehouse.deviceinventory.web.ApiProblem;
import io.gatehouse.deviceinventory.web.Versions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every device write: check the body, check the version ({@code If-Match}), write the row and its certificates,
 * append the history entry, all in one transaction (an {@link ApiProblem} rolls it back). Versions are
 * optimistic: the {@code UPDATE} only applies when the stored version is still the one read, so of two concurrent
 * writers holding the same ETag exactly one wins and the other gets 412.
 */
@Service
public class DeviceService {

    /** How far ahead of our clock a report's {@code reported_at} may be (agent clock skew). */
    static final Duration MAX_REPORT_AHEAD = Duration.ofMinutes(5);

    private final DeviceRepository devices;
    private final HistoryRepository history;
    private final TrustPolicy trust;
    private final TrustSql trustSql;
    private final Clock clock;

    public DeviceService(DeviceRepository devices, HistoryRepository history, TrustPolicy trust, TrustSql trustSql,
                         Clock clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.history = Objects.requireNonNull(history, "history");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.trustSql = Objects.requireNonNull(trustSql, "trustSql");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A write's outcome: the device as stored now, and whether the request created it. */
    public record Written(DeviceView device, boolean created) {
    }

    @Transactional(readOnly = true)
    public DeviceView get(String id) {
        DeviceRequests.checkId(id);
        return view(load(id));
    }

    @Transactional(readOnly = true)
    public DeviceView.PageView list(@Nullable String owner, @Nullable String trustName, int page, int size) {
        if (page < 0) {
            throw ApiProblem.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > 500) {
            throw ApiProblem.invalid("size", "must be between 1 and 500");
        }
        TrustLevel level = null;
        if (trustName != null) {
            level = TrustLevel.parse(trustName).orElseThrow(() ->
                    ApiProblem.invalid("trust", "\"" + trustName + "\" is not one of untrusted, basic, high"));
        }
        String ownerKey = owner == null ? null : owner.toLowerCase(java.util.Locale.ROOT);
        DeviceRepository.Page result = devices.page(ownerKey, level, trustSql, now(), page, size);
        return new DeviceView.PageView(result.items().stream().map(this::view).toList(), page, size, result.total());
    }

    @Transactional
    public Written upsert(String id, DeviceRequests.Upsert body, long ifMatch, Actor actor) {
        DeviceRequests.checkId(id);
        DeviceRequests.Upsert.Checked in = body.check();
        Instant now = now();
        Device existing = devices.find(id, true).orElse(null);
        checkFingerprintsFree(id, in.certSha256());
        if (existing == null) {
            if (ifMatch != Versions.NONE) {
                throw new ApiProblem(HttpStatus.PRECONDITION_FAILED, "version-mismatch",
                        "device " + id + " does not exist, so If-Match cannot match; send no If-Match to create it",
                        List.of());
            }
            Device created = new Device(id, in.owner(), in.platform(), in.osVersion(), in.managed(),
                    in.certSha256(), false, null, null, null, 1, now, now);
            if (!devices.insert(created)) {
                throw new ApiProblem(HttpStatus.PRECONDITION_FAILED, "version-mismatch",
                        "device " + id + " was created by a concurrent request; re-read it and retry with If-Match",
                        List.of());
            }
            devices.replaceCertificates(id, List.of(), in.certSha256(), now);
            history.append(id, now, actor, Action.CREATED, null, 1, diff(null, created));
            return new Written(view(load(id)), true);
        }
        if (ifMatch == Versions.NONE) {
            throw new ApiProblem(HttpStatus.PRECONDITION_REQUIRED, "precondition-required",
                    "device " + id + " exists; updating it needs If-Match: " + Versions.etag(existing.version())
                            + " (the ETag of your last read), so a concurrent change is not overwritten",
                    List.of());
        }
        Versions.check(ifMatch, existing.version(), id);
        // os_version is also what reports set: a PUT without it keeps the reported one rather than erasing it
        OsVersion osVersion = in.osVersion() != null ? in.osVersion() : existing.osVersion();
        Device next = new Device(id, in.owner(), in.platform(), osVersion, in.managed(), in.certSha256(),
                existing.quarantined(), existing.quarantineReason(), existing.quarantinedAt(), existing.report(),
                existing.version() + 1, existing.createdAt(), now);
        return new Written(write(existing, next, Action.UPDATED, null, actor, now), false);
    }

    @Transactional
    public DeviceView report(String id, DeviceRequests.Report body, long ifMatch, Actor actor) {
        DeviceRequests.checkId(id);
        Device existing = lockForWrite(id);
        Instant now = now(); // after the lock, so a queued report defaults to a time after the one before it
        DeviceRequests.Report.Checked in = body.check(now, MAX_REPORT_AHEAD);
        Versions.check(ifMatch, existing.version(), id);
        Device.PostureReport last = existing.report();
        if (last != null && in.reportedAt().isBefore(last.reportedAt())) {
            throw ApiProblem.conflict("stale-report", "reported_at " + in.reportedAt()
                    + " is older than the latest report (" + last.reportedAt() + "); it was not applied", "reported_at");
        }
        Device next = new Device(id, existing.owner(), existing.platform(), in.osVersion(), existing.managed(),
                existing.certSha256(), existing.quarantined(), existing.quarantineReason(),
                existing.quarantinedAt(), new Device.PostureReport(in.diskEncrypted(), in.screenLock(),
                in.reportedAt(), now), existing.version() + 1, existing.createdAt(), now);
        return write(existing, next, Action.REPORTED, null, actor, now);
    }

    @Transactional
    public DeviceView quarantine(String id, DeviceRequests.Reason body, long ifMatch, Actor actor) {
        DeviceRequests.checkId(id);
        String reason = Objects.requireNonNull(body.check(true));
        Device existing = lockForWrite(id);
        Versions.check(ifMatch, existing.version(), id);
        Instant now = now();
        Device next = new Device(id, existing.owner(), existing.platform(), existing.osVersion(), existing.managed(),
                existing.certSha256(), true, reason, existing.quarantined() ? existing.quarantinedAt() : now,
                existing.report(), existing.version() + 1, existing.createdAt(), now);
        return write(existing, next, Action.QUARANTINED, reason, actor, now);
    }

    @Transactional
    public DeviceView release(String id, DeviceRequests.Reason body, long ifMatch, Actor actor) {
        DeviceRequests.checkId(id);
        String reason = body.check(false);
        Device existing = lockForWrite(id);
        Versions.check(ifMatch, existing.version(), id);
        if (!existing.quarantined()) {
            throw ApiProblem.conflict("not-quarantined", "device " + id + " is not quarantined", null);
        }
        Instant now = now();
        Device next = new Device(id, existing.owner(), existing.platform(), existing.osVersion(), existing.managed(),
                existing.certSha256(), false, null, null, existing.report(), existing.version() + 1,
                existing.createdAt(), now);
        return write(existing, next, Action.RELEASED, reason, actor, now);
    }

    private DeviceView write(Device existing, Device next, Action action, @Nullable String reason, Actor actor,
                             Instant now) {
        Map<String, Change> changes = diff(existing, next);
        if (changes.isEmpty() && action == Action.UPDATED) {
            return view(existing); // an identical PUT changes nothing: no new version, no history entry
        }
        if (devices.update(next, existing.version()) != 1) {
            throw Versions.stale(existing.id(), devices.find(existing.id(), false).map(Device::version).orElse(-1L));
        }
        devices.replaceCertificates(next.id(), existing.certSha256(), next.certSha256(), now);
        history.append(next.id(), now, actor, action, reason, next.version(), changes);
        return view(load(next.id()));
    }

    private void checkFingerprintsFree(String id, List<String> certs) {
        Map<String, String> owners = devices.certificateOwners(certs);
        for (int i = 0; i < certs.size(); i++) {
            String holder = owners.get(certs.get(i));
            if (holder != null && !holder.equals(id)) {
                throw ApiProblem.conflict("fingerprint-in-use", "certificate " + certs.get(i)
                        + " already belongs to device " + holder, "cert_sha256[" + i + "]");
            }
        }
    }

    /**
     * Reads the row {@code FOR UPDATE}: concurrent writes to one device queue up instead of failing, so a report
     * or quarantine without If-Match never gets a spurious 412; one with a stale If-Match still does.
     */
    private Device lockForWrite(String id) {
        return devices.find(id, true).orElseThrow(() ->
                ApiProblem.notFound("unknown-device", "no device with id " + id));
    }

    private Device load(String id) {
        return devices.find(id, false).orElseThrow(() ->
                ApiProblem.notFound("unknown-device", "no device with id " + id));
    }

    private DeviceView view(Device d) {
        return DeviceView.of(d, trust.evaluate(d.trustFacts(), now()));
    }

    /** Microseconds: what PostgreSQL stores, so a value read back equals the one written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static Map<String, Change> diff(@Nullable Device before, Device after) {
        Map<String, Change> out = new LinkedHashMap<>();
        Device.PostureReport rb = before == null ? null : before.report();
        Device.PostureReport ra = after.report();
        put(out, "owner", before == null ? null : before.owner(), after.owner());
        put(out, "os", before == null ? null : before.platform().wireName(), after.platform().wireName());
        put(out, "os_version", before == null ? null : str(before.osVersion()), str(after.osVersion()));
        put(out, "managed", before == null ? null : before.managed(), after.managed());
        put(out, "cert_sha256", before == null ? null : before.certSha256(), after.certSha256());
        put(out, "quarantined", before == null ? null : before.quarantined(), after.quarantined());
        put(out, "quarantine_reason", before == null ? null : before.quarantineReason(), after.quarantineReason());
        put(out, "disk_encrypted", rb == null ? null : rb.diskEncrypted(), ra == null ? null : ra.diskEncrypted());
        put(out, "screen_lock", rb == null ? null : rb.screenLock(), ra == null ? null : ra.screenLock());
        put(out, "reported_at", rb == null ? null : rb.reportedAt().toString(),
                ra == null ? null : ra.reportedAt().toString());
        return out;
    }

    private static @Nullable String str(@Nullable OsVersion v) {
        return v == null ? null : v.text();
    }

    private static void put(Map<String, Change> out, String field, @Nullable Object from, @Nullable Object to) {
        boolean same = from == null ? to == null
                : from instanceof List<?> a && to instanceof List<?> b ? new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b))
                : from.equals(to);
        if (!same) {
            out.put(field, new Change(from, to));
        }
    }
}
