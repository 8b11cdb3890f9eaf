package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, item 6: the spellings an upstream may fold into another path (trailing dots and spaces, compatibility
 * and case look-alikes of ASCII, invisible characters) are refused, and ordinary international paths are not.
 */
class PathCanonicaliserSpellingsTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/admin./x|trailing-dot-or-space", "/admin../x|dot-dot", "/admin%2e/x|trailing-dot-or-space",
            "/admin%2E|trailing-dot-or-space", "/admin%20/x|trailing-dot-or-space",
            "/admin%20%20|trailing-dot-or-space", "/admin.%20/x|trailing-dot-or-space",
            "/admin%20./x|trailing-dot-or-space", "/x/y/admin.|trailing-dot-or-space", "/admin%09/x|control-character",
            "/%EF%BD%81dmin/x|lookalike-ascii", "/%ef%bd%81dmin/x|lookalike-ascii", "/%EF%BC%A1DMIN/x|lookalike-ascii",
            "/%F0%9D%90%9Admin|lookalike-ascii", "/adm%C4%B1n|lookalike-ascii", "/ADM%C4%B0N|lookalike-ascii",
            "/clas%C5%BF|lookalike-ascii", "/%E2%84%AAey|lookalike-ascii", "/%EF%AC%81le|lookalike-ascii",
            "/admin%C2%A0/x|lookalike-ascii", "/admin%E3%80%80/x|lookalike-ascii", "/admin%E2%80%83|lookalike-ascii",
            "/v%C2%B2|lookalike-ascii", "/%E2%91%A0|lookalike-ascii",
            "/ad%C2%ADmin|invisible-character", "/ad%E2%80%8Bmin|invisible-character",
            "/ad%E2%80%8Dmin|invisible-character", "/admin%EF%BB%BF|invisible-character",
            "/%E2%80%AEnimda|invisible-character", "/admin%EF%B8%8F|invisible-character",
            "/ad%CD%8Fmin|invisible-character", "/admin%F3%A0%80%81|invisible-character"})
    void canonicaliseWhenSpellingAnUpstreamMayFoldThenRejected(String path, String code) {
        PathVerdict verdict = PathCanonicaliser.canonicalise(path);

        assertThat(verdict).as(path).isInstanceOf(PathVerdict.Rejected.class);
        assertThat(((PathVerdict.Rejected) verdict).rejection().pattern().code()).as(path).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/caf%C3%A9/men%C3%BC", "/stra%C3%9Fe", "/%E6%97%A5%E6%9C%AC%E8%AA%9E/%E3%83%9A%E3%83%BC%E3%82%B8",
            "/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", "/%CE%A9", "/%C3%85ngstr%C3%B6m", "/a%20b/c", "/%20lead/x",
            "/v1.2/x", "/.well-known/x", "/file.tar.gz", "/%F0%9F%98%80"})
    void canonicaliseWhenOrdinaryInternationalOrDottedPathThenAccepted(String path) {
        assertThat(PathCanonicaliser.canonicalise(path)).as(path).isInstanceOf(PathVerdict.Accepted.class);
    }

    @Test
    void canonicaliseWhenRejectedLookalikeThenMessageQuotesTheCharacterEscaped() {
        Rejection rejection = ((PathVerdict.Rejected) PathCanonicaliser.canonicalise("/%EF%BD%81dmin")).rejection();

        assertThat(rejection.message()).contains("found \"\\uFF41\" in the path \"/%EF%BD%81dmin\"");
    }

    @Test
    void canonicaliseWhenAnyBmpCharacterFoldsToAsciiThenItIsRejected() {
        // Exhaustive over the BMP: no character that NFKC or case mapping turns into ASCII passes.
        List<String> passed = new ArrayList<>();
        for (int cp = 0xA0; cp <= 0xFFFF; cp++) {
            if (Character.isSurrogate((char) cp) || !Character.isDefined(cp)) {
                continue;
            }
            String text = Character.toString(cp);
            String nfkc = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
            boolean folds = (!nfkc.equals(text) && nfkc.chars().anyMatch(c -> c < 0x80))
                    || text.toLowerCase(Locale.ROOT).chars().allMatch(c -> c < 0x80)
                    || Character.toUpperCase(cp) < 0x80;
            if (folds && PathCanonicaliser.canonicalise("/a" + encode(text) + "b") instanceof PathVerdict.Accepted) {
                passed.add(String.format("U+%04X", cp));
            }
        }
        assertThat(passed).isEmpty();
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return out.toString();
    }
}
