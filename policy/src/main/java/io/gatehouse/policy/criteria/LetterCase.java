package io.gatehouse.policy.criteria;

/**
 * Letter-case-insensitive comparison for the places where ignoring case can only make a decision stricter (a
 * {@code paths} criterion that pushes towards deny, a route prefix written in another case). Two characters are
 * equal when their simple case mappings agree ({@code Character.toLowerCase(Character.toUpperCase(c))}, as
 * {@link String#equalsIgnoreCase} compares): {@code A}/{@code a}, but also {@code ſ}/{@code s}, {@code K}
 * (Kelvin sign)/{@code k} and {@code ı}/{@code i}, because some upstream stacks fold those too. Never use it to
 * widen an allow. Pure; allocation-free except {@link #fold(String)}.
 */
public final class LetterCase {

    private LetterCase() {
    }

    /** The case-folded form of one UTF-16 unit; ASCII takes a fast path. */
    public static char fold(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    /** The case-folded form of a text, for use as a key. */
    public static String fold(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.append(fold(text.charAt(i)));
        }
        return out.toString();
    }

    /** True when {@code text} starts with {@code prefix}, ignoring letter case. */
    public static boolean startsWithIgnoringCase(String text, String prefix) {
        if (prefix.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            char a = text.charAt(i);
            char b = prefix.charAt(i);
            if (a != b && fold(a) != fold(b)) {
                return false;
            }
        }
        return true;
    }
}
