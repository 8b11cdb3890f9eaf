package io.gatehouse.deviceinventory.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.gatehouse.deviceinventory.web.Actor;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Appends to and reads {@code device_history}; inside the caller's transaction. */
@Repository
public class HistoryRepository {

    private static final TypeReference<LinkedHashMap<String, HistoryEntry.Change>> CHANGES = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    public HistoryRepository(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.json = Objects.requireNonNull(json, "json");
    }

    public void append(String deviceId, Instant at, Actor actor, HistoryEntry.Action action,
                       @Nullable String reason, long version, Map<String, HistoryEntry.Change> changes) {
        jdbc.sql("insert into device_history (device_id, at, actor, client, action, reason, version, changes) "
                        + "values (:id, :at, :actor, :client, :action, :reason, :version, cast(:changes as jsonb))")
                .param("id", deviceId).param("at", Timestamp.from(at)).param("actor", actor.subject())
                .param("client", actor.client())
                .param("action", action.wireName()).param("reason", reason).param("version", version)
                .param("changes", write(changes))
                .update();
    }

    /** Oldest first, one page. */
    public List<HistoryEntry> list(String deviceId, int page, int size) {
        return jdbc.sql("select seq, device_id, at, actor, action, reason, version, changes::text, client "
                        + "from device_history "
                        + "where device_id = :id order by seq limit :limit offset :offset")
                .param("id", deviceId).param("limit", size).param("offset", (long) page * size)
                .query((rs, n) -> new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4), rs.getString(9), HistoryEntry.Action.valueOf(rs.getString(5).toUpperCase(java.util.Locale.ROOT)),
                        rs.getString(6), rs.getLong(7), read(rs.getString(8))))
                .list();
    }

    public long count(String deviceId) {
        return jdbc.sql("select count(*) from device_history where device_id = :id").param("id", deviceId)
                .query(Long.class).single();
    }

    private String write(Map<String, HistoryEntry.Change> changes) {
        try {
            return json.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise history changes", e);
        }
    }

    private Map<String, HistoryEntry.Change> read(String text) {
        try {
            return json.readValue(text, CHANGES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt history changes: " + text, e);
        }
    }
}
