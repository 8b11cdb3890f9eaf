package io.gatehouse.policy.criteria;

/**
 * Case folding for email addresses and domains that folds ASCII letters only. {@link String#equalsIgnoreCase} and
 * {@code toLowerCase} also fold non-ASCII letters onto ASCII ones: {@code ſ} (U+017F) and {@code ı} (U+0131)
 * upper-case to {@code S} and {@code I}, and the Kelvin sign {@code K} (U+212A) lower-cases to {@code k}, so an IdP
 * that lets a user pick {@code pat@kio\u017Fk.example} would pass a rule for {@code kiosk.example}. Here only
 * {@code A-Z} and {@code a-z} are equal ignoring case; every other character must be identical.
 */
final class AsciiFold {

    private AsciiFold() {
    }

    /** {@code s} with {@code A-Z} replaced by {@code a-z}, every other character unchanged. */
    static String lower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] out = s.toCharArray();
                for (int j = i; j < out.length; j++) {
                    out[j] = fold(out[j]);
                }
                return new String(out);
            }
        }
        return s;
    }

    /** Equal after {@link #lower(String)}, without allocating. */
    static boolean equalsIgnoreCase(String a, String b) {
        return a.length() == b.length() && regionEqualsIgnoreCase(a, 0, b);
    }

    /** {@code a} from {@code offset} to its end equals {@code b}, ASCII letters compared ignoring case. */
    static boolean regionEqualsIgnoreCase(String a, int offset, String b) {
        if (a.length() - offset != b.length()) {
            return false;
        }
        for (int i = 0; i < b.length(); i++) {
            if (fold(a.charAt(offset + i)) != fold(b.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
