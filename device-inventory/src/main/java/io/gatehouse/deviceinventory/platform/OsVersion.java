package io.gatehouse.deviceinventory.platform;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An OS version of one to four dot-separated decimal numbers ({@code 15.3}, {@code 10.0.22631.4460}), compared
 * numerically segment by segment with missing segments as zero ({@code 15.10 > 15.2}, {@code 15 == 15.0}).
 * Keeps the text as given for display.
 */
public record OsVersion(String text, int[] segments) implements Comparable<OsVersion> {

    private static final Pattern SHAPE = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){0,3}");

    /** Empty when the text is not a version of that shape. */
    public static Optional<OsVersion> parse(String text) {
        if (!SHAPE.matcher(text).matches()) {
            return Optional.empty();
        }
        int[] segments = Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray();
        return Optional.of(new OsVersion(text, segments));
    }

    @Override
    public int compareTo(OsVersion other) {
        for (int i = 0; i < 4; i++) {
            int c = Integer.compare(segment(i), other.segment(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The four segments, zero-padded, as a PostgreSQL array literal: {@code {15,2,0,0}}. */
    public String arrayLiteral() {
        return "{" + segment(0) + "," + segment(1) + "," + segment(2) + "," + segment(3) + "}";
    }

    private int segment(int i) {
        return i < segments.length ? segments[i] : 0;
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OsVersion v && text.equals(v.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
