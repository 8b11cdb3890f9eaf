package io.gatehouse.gateway.hygiene;

import io.gatehouse.policy.Reason;
import java.util.Objects;

/**
 * One hygiene finding: which row of {@link RejectedPattern} matched, the exact text found and where
 * ({@code path}, {@code query}, {@code header Host}, ...), with the whole value it was found in. The message quotes
 * what was found with control characters and non-ASCII escaped, so it is safe to log and to echo to the client.
 */
public record Rejection(RejectedPattern pattern, String found, String where, String in) {

    private static final int MAX_QUOTED = 200;

    public Rejection {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(in, "in");
    }

    /** e.g. {@code encoded '/' (%2F) in the path: found "%2F" in the path "/a%2Fb"}. */
    public String message() {
        return pattern.title() + ": found " + quote(found) + " in the " + where + " " + quote(in);
    }

    /** The reason recorded in the RequestContext, so the decision log shows why the request was turned away. */
    public Reason reason() {
        return new Reason("hygiene-" + pattern.code(), message());
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 8).append('"');
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c > 0x7e) {
                out.append(c > 0xff ? String.format("\\u%04X", (int) c) : String.format("\\x%02X", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_QUOTED) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
