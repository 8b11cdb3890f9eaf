package io.gatehouse.policy.cli;

import java.io.IOException;
import java.io.Reader;
import org.jspecify.annotations.Nullable;

/**
 * The lines of a log read one at a time, each at most {@code maxChars} long, so that a file without line breaks
 * cannot make the reader hold it whole. {@code \n} ends a line; a {@code \r} before it is dropped.
 */
final class LogLines {

    /** A line longer than the bound: not a decision-log line. */
    static final class TooLong extends IOException {
        TooLong(long line, int maxChars) {
            super("line " + line + " is longer than " + maxChars + " characters; not a decision-log line");
        }
    }

    private final Reader in;
    private final int maxChars;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int end;
    private long number;

    LogLines(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The 1-based number of the line {@link #next()} returned last. */
    long number() {
        return number;
    }

    /** The next line without its line break, or null at the end. */
    @Nullable String next() throws IOException {
        line.setLength(0);
        boolean any = false;
        while (true) {
            if (pos == end) {
                end = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (end < 0) {
                    end = 0;
                    if (!any) {
                        return null;
                    }
                    number++;
                    return line.toString();
                }
            }
            any = true;
            int start = pos;
            while (pos < end && buffer[pos] != '\n') {
                pos++;
            }
            line.append(buffer, start, pos - start);
            if (line.length() > maxChars) {
                throw new TooLong(number + 1, maxChars);
            }
            if (pos < end) {
                pos++; // the '\n'
                number++;
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
        }
    }
}
