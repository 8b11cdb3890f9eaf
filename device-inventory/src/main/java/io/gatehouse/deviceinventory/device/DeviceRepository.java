package io.gatehouse.deviceinventory.device;

import io.gatehouse.deviceinventory.platform.OsVersion;
import io.gatehouse.deviceinventory.platform.Platform;
import io.gatehouse.deviceinventory.trust.TrustCounts;
import io.gatehouse.deviceinventory.trust.TrustLevel;
import io.gatehouse.deviceinventory.trust.TrustSql;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for devices and their certificates. Every method runs inside the caller's transaction; writes that check a
 * version return the number of rows changed, so the caller can answer 412 when it is zero.
 */
@Repository
public class DeviceRepository implements TrustCounts {

    static final String COLUMNS = "d.id, d.owner, d.platform, d.os_version, d.managed, d.quarantined, "
            + "d.quarantine_reason, d.quarantined_at, d.disk_encrypted, d.screen_lock, d.reported_at, "
            + "d.report_received_at, d.version, d.created_at, d.updated_at";

    private final JdbcClient jdbc;

    public DeviceRepository(JdbcClient jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    public Optional<Device> find(String id, boolean forUpdate) {
        return jdbc.sql("select " + COLUMNS + " from device d where d.id = :id" + (forUpdate ? " for update" : ""))
                .param("id", id)
                .query((rs, n) -> map(rs, certificates(id)))
                .optional();
    }

    /** The posture hot path: one query, a primary-key probe on the certificate and one on the device. */
    public Optional<Device> findByCertificate(String sha256) {
        return jdbc.sql("select " + COLUMNS + " from device_certificate c join device d on d.id = c.device_id "
                        + "where c.sha256 = :sha")
                .param("sha", sha256)
                .query((rs, n) -> map(rs, List.of(sha256)))
                .optional();
    }

    public List<String> certificates(String id) {
        return jdbc.sql("select sha256 from device_certificate where device_id = :id order by added_at, sha256")
                .param("id", id).query(String.class).list();
    }

    /** For each given fingerprint already on some device: fingerprint → device id. */
    public Map<String, String> certificateOwners(List<String> sha256s) {
        Map<String, String> out = new HashMap<>();
        if (sha256s.isEmpty()) {
            return out;
        }
        jdbc.sql("select sha256, device_id from device_certificate where sha256 in (:shas)")
                .param("shas", sha256s)
                .query(rs -> {
                    out.put(rs.getString(1), rs.getString(2));
                });
        return out;
    }

    /** Inserts a new device at version 1; false when the id exists already (a concurrent create won). */
    public boolean insert(Device d) {
        return jdbc.sql("insert into device (id, owner, platform, os_version, os_version_key, managed, version, "
                        + "created_at, updated_at) values (:id, :owner, :platform, :osv, cast(:key as integer[]), :managed, 1, :now, :now) "
                        + "on conflict (id) do nothing")
                .param("id", d.id()).param("owner", d.owner()).param("platform", d.platform().wireName())
                .param("osv", text(d.osVersion())).param("key", key(d.osVersion()))
                .param("managed", d.managed()).param("now", ts(d.createdAt()))
                .update() == 1;
    }

    /** Writes every mutable column of {@code d} if the stored version is still {@code expectedVersion}. */
    public int update(Device d, long expectedVersion) {
        PostureReportColumns r = PostureReportColumns.of(d.report());
        return jdbc.sql("update device set owner = :owner, platform = :platform, os_version = :osv, "
                        + "os_version_key = cast(:key as integer[]), managed = :managed, quarantined = :q, quarantine_reason = :qr, "
                        + "quarantined_at = :qa, disk_encrypted = :de, screen_lock = :sl, reported_at = :ra, "
                        + "report_received_at = :rr, version = version + 1, updated_at = :now "
                        + "where id = :id and version = :expected")
                .param("owner", d.owner()).param("platform", d.platform().wireName())
                .param("osv", text(d.osVersion())).param("key", key(d.osVersion()))
                .param("managed", d.managed()).param("q", d.quarantined()).param("qr", d.quarantineReason())
                .param("qa", ts(d.quarantinedAt())).param("de", r.diskEncrypted).param("sl", r.screenLock)
                .param("ra", ts(r.reportedAt)).param("rr", ts(r.receivedAt)).param("now", ts(d.updatedAt()))
                .param("id", d.id()).param("expected", expectedVersion)
                .update();
    }

    /**
     * One page of devices ordered by id, optionally only one owner's and only one trust level (computed in SQL by
     * {@code trust}, at {@code now}), and the total count for the same filter.
     */
    public Page page(@Nullable String owner, @Nullable TrustLevel trust, TrustSql trustSql, Instant now,
                     int page, int size) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new HashMap<>(trustSql.parameters(now));
        if (owner != null) {
            where.append(" and d.owner = :owner");
            params.put("owner", owner);
        }
        if (trust != null) {
            where.append(" and ").append(trustSql.expression()).append(" = :trust");
            params.put("trust", trust.wireName());
        }
        long total = jdbc.sql("select count(*) from device d" + where).params(params).query(Long.class).single();
        params.put("limit", size);
        params.put("offset", (long) page * size);
        List<Device> items = jdbc.sql("select " + COLUMNS + ", array(select c.sha256 from device_certificate c "
                        + "where c.device_id = d.id order by c.added_at, c.sha256) as certs from device d" + where
                        + " order by d.id limit :limit offset :offset")
                .params(params)
                .query((rs, n) -> mapWithCertificates(rs))
                .list();
        return new Page(items, total);
    }

    /** How many devices have each trust level at {@code now}. */
    @Override
    public Map<TrustLevel, Long> countByTrust(TrustSql trustSql, Instant now) {
        Map<TrustLevel, Long> out = new HashMap<>();
        for (TrustLevel level : TrustLevel.values()) {
            out.put(level, 0L);
        }
        jdbc.sql("select " + trustSql.expression() + " as trust, count(*) from device d group by 1")
                .params(trustSql.parameters(now))
                .query(rs -> {
                    out.put(TrustLevel.parse(rs.getString(1)).orElseThrow(), rs.getLong(2));
                });
        return out;
    }

    public record Page(List<Device> items, long total) {
    }

    /**
     * Makes the device's certificate set {@code next} (it was {@code current}). New fingerprints are plain inserts:
     * one that another device took meanwhile fails on the primary key ({@code DuplicateKeyException}, answered 409)
     * and rolls the whole request back.
     */
    public void replaceCertificates(String id, List<String> current, List<String> next, Instant now) {
        List<String> gone = current.stream().filter(s -> !next.contains(s)).toList();
        if (!gone.isEmpty()) {
            jdbc.sql("delete from device_certificate where device_id = :id and sha256 in (:shas)")
                    .param("id", id).param("shas", gone).update();
        }
        for (String sha : next) {
            if (!current.contains(sha)) {
                jdbc.sql("insert into device_certificate (sha256, device_id, added_at) values (:sha, :id, :now)")
                        .param("sha", sha).param("id", id).param("now", ts(now)).update();
            }
        }
    }

    private static Device map(ResultSet rs, List<String> certs) throws SQLException {
        Timestamp reportedAt = rs.getTimestamp("reported_at");
        Device.PostureReport report = reportedAt == null ? null : new Device.PostureReport(
                rs.getBoolean("disk_encrypted"), rs.getBoolean("screen_lock"), reportedAt.toInstant(),
                rs.getTimestamp("report_received_at").toInstant());
        String osVersion = rs.getString("os_version");
        Timestamp quarantinedAt = rs.getTimestamp("quarantined_at");
        return new Device(rs.getString("id"), rs.getString("owner"),
                Platform.parse(rs.getString("platform")).orElseThrow(),
                osVersion == null ? null : OsVersion.parse(osVersion).orElseThrow(),
                rs.getBoolean("managed"), certs, rs.getBoolean("quarantined"), rs.getString("quarantine_reason"),
                quarantinedAt == null ? null : quarantinedAt.toInstant(), report, rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    /** Maps a row that carries its certificates as a {@code certs text[]} column (list queries). */
    static Device mapWithCertificates(ResultSet rs) throws SQLException {
        Array certs = rs.getArray("certs");
        List<String> list = certs == null ? List.of() : List.of((String[]) certs.getArray());
        return map(rs, list);
    }

    private static @Nullable Timestamp ts(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static @Nullable String text(@Nullable OsVersion v) {
        return v == null ? null : v.text();
    }

    /** The padded version as a PostgreSQL array literal ({@code {15,2,0,0}}); digits only, so safe as text. */
    private static @Nullable String key(@Nullable OsVersion v) {
        return v == null ? null : v.arrayLiteral();
    }

    private record PostureReportColumns(@Nullable Boolean diskEncrypted, @Nullable Boolean screenLock,
                                        @Nullable Instant reportedAt, @Nullable Instant receivedAt) {
        static PostureReportColumns of(Device.@Nullable PostureReport r) {
            return r == null ? new PostureReportColumns(null, null, null, null)
                    : new PostureReportColumns(r.diskEncrypted(), r.screenLock(), r.reportedAt(), r.receivedAt());
        }
    }
}
