package io.gatehouse.policy.replay;

import io.gatehouse.policy.Decision;
import io.gatehouse.policy.Reason;
import io.gatehouse.policy.replay.LineReplay.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a replay found, in bounded memory whatever the log's length: a count per {@link Kind}, per cannot-replay code
 * a count with its first line and reason (the codes are a fixed set), and the first {@code maxFlips} lines that flip
 * with who, what, and the old and new rule and reasons; flips past that are only counted
 * ({@link #flipsNotShown()}). Not thread-safe: one replay fills it line by line.
 */
public final class ReplayReport {

    /** One line whose outcome the candidate flips. */
    public record Flip(long line, Kind kind, @Nullable String timestamp, @Nullable String requestId,
                       @Nullable String subject, @Nullable String email, @Nullable String method,
                       @Nullable String host, @Nullable String path, LineReplay.Logged before, Decision after) {
    }

    /** The lines that cannot replay for one reason code: how many, and the first of them. */
    public record Refusals(String code, long count, long firstLine, String firstReason) {
    }

    private final int maxFlips;
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    private final Map<String, Refusals> refusals = new LinkedHashMap<>();
    private final List<Flip> flips = new ArrayList<>();
    private long flipsNotShown;
    private long lines;

    public ReplayReport(int maxFlips) {
        if (maxFlips < 0) {
            throw new IllegalArgumentException("maxFlips is negative: " + maxFlips);
        }
        this.maxFlips = maxFlips;
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0L);
        }
    }

    /** Counts one replayed line ({@code number} is 1-based in the log; {@code line} the parsed JSON). */
    public void add(long number, Map<String, Object> line, LineReplay.Result result) {
        lines++;
        counts.merge(result.kind(), 1L, Long::sum);
        if (result.kind() == Kind.CANNOT_REPLAY) {
            refusals.merge(result.code(), new Refusals(result.code(), 1, number, result.reason()),
                    (had, one) -> new Refusals(had.code(), had.count() + 1, had.firstLine(), had.firstReason()));
        } else if (result.kind().flip()) {
            if (flips.size() < maxFlips) {
                Map<String, Object> who = object(line.get("who"));
                Map<String, Object> what = object(line.get("what"));
                flips.add(new Flip(number, result.kind(), text(line.get("timestamp")), text(line.get("request_id")),
                        text(who.get("subject")), text(who.get("email")), text(what.get("method")),
                        text(what.get("host")), text(what.get("path")), result.before(), result.after()));
            } else {
                flipsNotShown++;
            }
        }
    }

    public long lines() { return lines; }
    public long count(Kind kind) { return counts.get(kind); }
    public List<Refusals> refusals() { return List.copyOf(refusals.values()); }
    public List<Flip> flips() { return List.copyOf(flips); }
    public long flipsNotShown() { return flipsNotShown; }
    public int maxFlips() { return maxFlips; }

    /** The report as JSON-ready maps and lists, in the documented order (docs/policy.md, "Replay"). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lines", lines);
        Map<String, Object> c = new LinkedHashMap<>();
        counts.forEach((kind, n) -> c.put(kind.wireName(), n));
        m.put("counts", c);
        m.put("cannot_replay", refusals.values().stream().map(r -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("code", r.code());
            e.put("count", r.count());
            e.put("first_line", r.firstLine());
            e.put("reason", r.firstReason());
            return e;
        }).toList());
        m.put("flips", flips.stream().map(ReplayReport::flipJson).toList());
        m.put("flips_not_shown", flipsNotShown);
        return m;
    }

    private static Map<String, Object> flipJson(Flip f) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("line", f.line());
        e.put("direction", f.kind().wireName());
        e.put("timestamp", f.timestamp());
        e.put("request_id", f.requestId());
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("subject", f.subject());
        who.put("email", f.email());
        e.put("who", who);
        Map<String, Object> what = new LinkedHashMap<>();
        what.put("method", f.method());
        what.put("host", f.host());
        what.put("path", f.path());
        e.put("what", what);
        Map<String, Object> before = new LinkedHashMap<>();
        before.put("decision", f.before().decision());
        before.put("route", f.before().route());
        before.put("rule", f.before().rule());
        before.put("reasons", f.before().reasons());
        e.put("before", before);
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("decision", f.after().outcome().wireName());
        after.put("route", f.after().route());
        after.put("rule", f.after().rule());
        after.put("reasons", f.after().reasons().stream().map(Reason::text).toList());
        e.put("after", after);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(@Nullable Object json) {
        return json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
