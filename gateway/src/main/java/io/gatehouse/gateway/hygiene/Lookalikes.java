package io.gatehouse.gateway.hygiene;

import java.text.Normalizer;
import org.jspecify.annotations.Nullable;

/**
 * Which decoded, non-ASCII path characters an upstream could read as something else, so that a path the policy
 * judged as one resource names another upstream. Used by {@link PathCanonicaliser} after percent-decoding. Two
 * kinds, each a row of {@link RejectedPattern}:
 * <ul>
 *   <li>{@link RejectedPattern#LOOKALIKE_ASCII}: compatibility normalisation (NFKC, what IDNA, many frameworks and
 *       some file systems apply) turns the character into text with ASCII in it (fullwidth {@code ａ} → {@code a},
 *       {@code ﬁ} → {@code fi}, no-break and ideographic spaces → space, mathematical letters), or its simple case
 *       mapping is ASCII ({@code ı} → {@code I}, {@code ſ} → {@code S}, {@code K} (Kelvin) → {@code k},
 *       {@code İ} → {@code i}), which a case-insensitive upstream applies;</li>
 *   <li>{@link RejectedPattern#INVISIBLE_CHARACTER}: Unicode default-ignorable characters (format characters such
 *       as soft hyphen, zero-width space and joiners, bidi controls; variation selectors; the combining grapheme
 *       joiner; Hangul fillers), which NFKC_Casefold and IDNA mapping delete, so {@code ad\u00ADmin} becomes
 *       {@code admin}.</li>
 * </ul>
 * Other non-ASCII letters ({@code é}, {@code ß}, CJK) are accepted: they fold to no ASCII text. Pure and thread-safe.
 */
final class Lookalikes {

    private Lookalikes() {
    }

    /** The row a decoded code point of 0x80 or above breaks, or null when it is an ordinary character. */
    static @Nullable RejectedPattern classify(int codePoint) {
        if (codePoint < 0x80) {
            return null;
        }
        if (invisible(codePoint)) {
            return RejectedPattern.INVISIBLE_CHARACTER;
        }
        if (Character.toLowerCase(codePoint) < 0x80 || Character.toUpperCase(codePoint) < 0x80
                || Character.toTitleCase(codePoint) < 0x80) {
            return RejectedPattern.LOOKALIKE_ASCII;
        }
        String text = Character.toString(codePoint);
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (!folded.equals(text) && folded.chars().anyMatch(c -> c < 0x80)) {
            return RejectedPattern.LOOKALIKE_ASCII;
        }
        return null;
    }

    /** Unicode's Default_Ignorable_Code_Point, as far as it matters in a path (DerivedCoreProperties.txt). */
    private static boolean invisible(int cp) {
        return Character.getType(cp) == Character.FORMAT
                || cp == 0x034F                          // combining grapheme joiner
                || cp == 0x115F || cp == 0x1160          // Hangul choseong / jungseong fillers
                || cp == 0x17B4 || cp == 0x17B5          // Khmer inherent vowels
                || (cp >= 0x180B && cp <= 0x180F)        // Mongolian variation selectors and vowel separator
                || cp == 0x3164 || cp == 0xFFA0          // Hangul fillers
                || (cp >= 0xFE00 && cp <= 0xFE0F)        // variation selectors
                || (cp >= 0xE0000 && cp <= 0xE0FFF);     // tags, variation selectors supplement, unassigned
    }
}
