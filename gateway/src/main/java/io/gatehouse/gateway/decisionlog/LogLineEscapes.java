package io.gatehouse.gateway.decisionlog;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The JSON escapes of a decision-log line, on top of JSON's own (quote, backslash, C0): every character that could
 * end a line, start a forged one or rewrite what a terminal shows is written as {@code \\uXXXX}, so text a client
 * controls (a header, the request target, a token's claims) stays data on one line. Escaped: C0 (U+0000–U+001F),
 * DEL (U+007F), C1 (U+0080–U+009F, e.g. NEL U+0085 and CSI U+009B), the line and paragraph separators U+2028 and
 * U+2029, and the bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which can make a
 * line read differently from what it holds. Other text, accented names and CJK included, is written as it is.
 */
final class LogLineEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    LogLineEscapes() {
        int[] codes = CharacterEscapes.standardAsciiEscapesForJSON();
        codes[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        this.ascii = codes;
    }

    /** True for the characters above ASCII this class escapes. */
    static boolean escapedAboveAscii(int c) {
        return (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0x061c || c == 0x200e || c == 0x200f
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int c) {
        return escapedAboveAscii(c) ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", c)) : null;
    }
}
