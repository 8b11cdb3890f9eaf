package io.gatehouse.policy.criteria;

/**
 * A path glob compiled at load time: {@code *} matches any run of characters within one segment (no
 * {@code /}), a whole segment {@code **} matches zero or more segments, so {@code /admin/**} matches
 * {@code /admin}, {@code /admin/} and {@code /admin/a/b}. Everything else is literal: case-sensitive with
 * {@link #matches(String)}, ignoring letter case ({@link LetterCase}) with {@link #matchesIgnoringCase(String)}.
 * Matching allocates nothing.
 */
public final class Glob {
    static final char STAR = '\uE000';
    static final char SEGMENTS = '\uE001';

    private final String text;
    private final char[] pattern;

    private Glob(String text, char[] pattern) {
        this.text = text;
        this.pattern = pattern;
    }

    /** Compiles {@code text}; throws {@link IllegalArgumentException} with a message fit for a load error. */
    public static Glob compile(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("must start with /");
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (ch == '/' && text.startsWith("**", i + 1) && (i + 3 == text.length() || text.charAt(i + 3) == '/')) {
                out.append(SEGMENTS);
                i += 3;
            } else if (ch == '*') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '*') {
                    throw new IllegalArgumentException("** must be a whole segment, as in /a/**/b (column "
                            + (i + 1) + " of the glob)");
                }
                out.append(STAR);
                i++;
            } else if ("?[]{}".indexOf(ch) >= 0 || ch == STAR || ch == SEGMENTS) {
                throw new IllegalArgumentException("'" + ch + "' is not supported; use * (one segment) or ** (any)");
            } else if (ch == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                throw new IllegalArgumentException("has an empty segment (//)");
            } else {
                out.append(ch);
                i++;
            }
        }
        return new Glob(text, out.toString().toCharArray());
    }

    public boolean matches(String path) {
        return match(path, 0, 0, false);
    }

    /** Like {@link #matches(String)}, but letters match whatever their case: {@code /ADMIN/x} matches {@code /admin/**}. */
    public boolean matchesIgnoringCase(String path) {
        return match(path, 0, 0, true);
    }

    private boolean match(String s, int si, int pi, boolean ignoreCase) {
        while (pi < pattern.length) {
            char c = pattern[pi];
            if (c == STAR) {
                int end = si;
                while (end < s.length() && s.charAt(end) != '/') {
                    end++;
                }
                for (int k = end; k >= si; k--) {
                    if (match(s, k, pi + 1, ignoreCase)) {
                        return true;
                    }
                }
                return false;
            }
            if (c == SEGMENTS) {
                if (match(s, si, pi + 1, ignoreCase)) {
                    return true;
                }
                if (si < s.length() && s.charAt(si) == '/') {
                    for (int k = s.length(); k > si; k--) {
                        if (match(s, k, pi + 1, ignoreCase)) {
                            return true;
                        }
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            char p = s.charAt(si);
            if (p != c && !(ignoreCase && LetterCase.fold(p) == LetterCase.fold(c))) {
                return false;
            }
            si++;
            pi++;
        }
        return si == s.length();
    }

    @Override
    public String toString() {
        return text;
    }
}
