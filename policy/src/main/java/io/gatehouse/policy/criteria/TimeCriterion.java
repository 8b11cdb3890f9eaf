package io.gatehouse.policy.criteria;

import io.gatehouse.policy.Request;
import io.gatehouse.policy.parse.Nodes;
import io.gatehouse.policy.parse.ParseContext;
import io.gatehouse.policy.parse.Suggest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Key {@code time: {days: [mon, fri], hours: "08:00-18:00", zone: Europe/Berlin}}: the request's time, seen in
 * {@code zone} (default UTC), falls on one of {@code days} (default every day) within {@code hours} (start
 * inclusive, end exclusive; default all day). A range whose end is before its start wraps past midnight
 * ({@code 22:00-06:00}); the day is the one of the local time at the request.
 */
public final class TimeCriterion implements Criterion {
    static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final boolean[] days;
    private final int startMinute;
    private final int endMinute;
    private final ZoneId zone;
    private final String window;
    private final String rule;

    private TimeCriterion(boolean[] days, int start, int end, ZoneId zone, String window, String rule) {
        this.days = days;
        this.startMinute = start;
        this.endMinute = end;
        this.zone = zone;
        this.window = window;
        this.rule = rule;
    }

    public static @Nullable Criterion parse(Node node, ParseContext c) {
        Map<String, Nodes.Entry> map = Nodes.mapping(node, c, List.of("days", "hours", "zone"));
        if (map == null) {
            return null;
        }
        boolean ok = true;
        boolean[] days = new boolean[7];
        String dayText = "every day";
        Nodes.Entry d = map.get("days");
        if (d == null) {
            java.util.Arrays.fill(days, true);
        } else {
            List<ScalarNode> items = Nodes.stringList(d.value(), c.key("days"));
            ok &= items != null;
            for (int i = 0; items != null && i < items.size(); i++) {
                int day = DAYS.indexOf(items.get(i).getValue());
                if (day < 0) {
                    c.key("days").index(i).error(items.get(i), "\"%s\" is not one of %s",
                            items.get(i).getValue(), String.join(", ", DAYS));
                    ok = false;
                } else {
                    days[day] = true;
                }
            }
            dayText = items == null ? "" : String.join(",", Nodes.values(items));
        }
        int start = 0;
        int end = 24 * 60;
        String hoursText = "all day";
        Nodes.Entry h = map.get("hours");
        if (h != null) {
            String text = Nodes.string(h.value(), c.key("hours"));
            int[] range = text == null ? null : hours(text);
            if (text != null && range == null) {
                c.key("hours").error(h.value(),
                        "\"%s\" is not a time range like 08:00-18:00 (00:00 to 24:00, start != end)", text);
            }
            if (range == null) {
                ok = false;
            } else {
                start = range[0];
                end = range[1];
                hoursText = text;
            }
        }
        ZoneId zone = ZoneId.of("UTC");
        Nodes.Entry z = map.get("zone");
        if (z != null) {
            String text = Nodes.string(z.value(), c.key("zone"));
            try {
                zone = text == null ? zone : ZoneId.of(text);
            } catch (DateTimeException e) {
                String best = Suggest.closest(text, ZoneId.getAvailableZoneIds());
                c.key("zone").error(z.value(), "\"%s\" is not a time zone; %s", text,
                        best == null ? "expected a region id like Europe/Berlin" : "did you mean \"" + best + "\"?");
            }
            ok &= text != null && zone.getId().equals(text);
        }
        String window = dayText + " " + hoursText + " " + zone.getId();
        return ok ? new TimeCriterion(days, start, end, zone, window, c.rule()) : null;
    }

    /** Parses {@code HH:MM-HH:MM} into minutes of the day; null when malformed or empty. */
    static int @Nullable [] hours(String text) {
        if (!text.matches("\\d\\d:\\d\\d-\\d\\d:\\d\\d")) {
            return null;
        }
        int start = minutes(text.substring(0, 5));
        int end = minutes(text.substring(6));
        return start < 0 || end < 0 || start == end || start == 24 * 60 ? null : new int[] {start, end};
    }

    private static int minutes(String hhmm) {
        int h = Integer.parseInt(hhmm.substring(0, 2));
        int m = Integer.parseInt(hhmm.substring(3));
        return h > 24 || m > 59 || (h == 24 && m != 0) ? -1 : h * 60 + m;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    @Override
    public Match evaluate(Request request) {
        Instant t = request.time();
        long local = t.getEpochSecond() + zone.getRules().getOffset(t).getTotalSeconds();
        int day = (int) Math.floorMod(Math.floorDiv(local, 86400) + 3, 7); // 1970-01-01 was a Thursday
        int minute = (int) (Math.floorMod(local, 86400) / 60);
        boolean inHours = startMinute < endMinute
                ? minute >= startMinute && minute < endMinute
                : minute >= startMinute || minute < endMinute;
        String now = DAYS.get(day) + " " + two(minute / 60) + ":" + two(minute % 60) + " " + zone.getId();
        return days[day] && inHours
                ? Match.holds("time", "time " + now + " is within " + window)
                : Match.fails("time-outside-window", "time is " + now + ", rule " + rule + " needs " + window);
    }

    @Override
    public String describe() {
        return "the time is within " + window;
    }
}
