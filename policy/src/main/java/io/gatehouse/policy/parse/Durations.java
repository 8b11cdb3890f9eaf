package io.gatehouse.policy.parse;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.nodes.Node;

/** Durations as the config writes them: a positive whole number and a unit, {@code 90s 15m 24h 7d}. */
public final class Durations {
    private Durations() {
    }

    public static @Nullable Duration parse(Node node, ParseContext c) {
        String text = Nodes.string(node, c);
        if (text == null) {
            return null;
        }
        Duration d = parse(text);
        if (d == null) {
            c.error(node, "\"%s\" is not a duration; use a whole number and s, m, h or d, e.g. 90s, 15m, 24h, 7d",
                    text);
        }
        return d;
    }

    static @Nullable Duration parse(String text) {
        if (text.length() < 2 || text.length() > 10) {
            return null;
        }
        String digits = text.substring(0, text.length() - 1);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return null;
            }
        }
        long n = Long.parseLong(digits);
        if (n == 0) {
            return null;
        }
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> null;
        };
    }

    /** Whether {@code now} is at most {@code max} after {@code at}, without allocating. */
    public static boolean within(java.time.Instant at, java.time.Instant now, Duration max) {
        long limit = at.getEpochSecond() + max.getSeconds();
        return now.getEpochSecond() < limit || (now.getEpochSecond() == limit && now.getNano() <= at.getNano());
    }

    /** Renders a duration in the largest unit that divides it exactly, as the config would write it. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    /** Renders an age for a reason, e.g. {@code 2h5m} or {@code 45s}. */
    public static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        StringBuilder sb = new StringBuilder();
        long[] sizes = {86400, 3600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i] || (i == sizes.length - 1 && sb.length() == 0)) {
                sb.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return sb.toString();
    }
}
