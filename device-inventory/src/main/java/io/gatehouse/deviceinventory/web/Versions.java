package io.gatehouse.deviceinventory.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * Optimistic versions on the wire: the ETag of version 7 is {@code "7"} (strong). An {@code If-Match} header is
 * parsed into the one version it names, {@link #ANY} for {@code *}, or {@link #NONE} when it is absent. A weak
 * tag or a list can never match a strong comparison, so they are refused with 412 rather than guessed at.
 */
public final class Versions {

    public static final long NONE = -1;
    public static final long ANY = -2;
    private static final Pattern STRONG = Pattern.compile("\"(\\d{1,18})\"");

    private Versions() {
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    public static long ifMatch(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        String h = header.trim();
        if (h.equals("*")) {
            return ANY;
        }
        Matcher m = STRONG.matcher(h);
        if (!m.matches()) {
            throw new ApiProblem(HttpStatus.PRECONDITION_FAILED, "version-mismatch",
                    "If-Match " + h + " names no current version; send the ETag of your last read, e.g. \"3\"",
                    java.util.List.of());
        }
        return Long.parseLong(m.group(1));
    }

    /** Throws 412 when {@code expected} (from If-Match) is given and is not {@code current}. */
    public static void check(long expected, long current, String id) {
        if (expected >= 0 && expected != current) {
            throw stale(id, current);
        }
    }

    public static ApiProblem stale(String id, long current) {
        return new ApiProblem(HttpStatus.PRECONDITION_FAILED, "version-mismatch",
                "device " + id + " is at version " + current + "; re-read it and retry with If-Match: "
                        + etag(current), java.util.List.of());
    }
}
