package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One row per path rejection, with its lower- and upper-case spellings; the message quotes what was found. */
class RejectedPatternTest {

    static Stream<Arguments> rejectedPaths() {
        return Stream.of(
                Arguments.of(RejectedPattern.ENCODED_SLASH, "/a%2fb", "%2f"),
                Arguments.of(RejectedPattern.ENCODED_SLASH, "/a%2Fb", "%2F"),
                Arguments.of(RejectedPattern.ENCODED_PERCENT, "/a%252fb", "%25"),
                Arguments.of(RejectedPattern.ENCODED_PERCENT, "/a%252Fb", "%25"),
                Arguments.of(RejectedPattern.ENCODED_BACKSLASH, "/a%5cb", "%5c"),
                Arguments.of(RejectedPattern.ENCODED_BACKSLASH, "/a%5Cb", "%5C"),
                Arguments.of(RejectedPattern.ENCODED_PERCENT, "/a%255cb", "%25"),
                Arguments.of(RejectedPattern.BACKSLASH, "/a\\b", "\\"),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/../b", ".."),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/%2e%2e/b", ".."),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/%2E%2E/b", ".."),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/.%2e/b", ".."),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/%2E./b", ".."),
                Arguments.of(RejectedPattern.DOT_DOT, "/a/..", ".."),
                Arguments.of(RejectedPattern.ENCODED_PERCENT, "/a/%252e%252e/b", "%25"),
                Arguments.of(RejectedPattern.DOT_SEGMENT, "/a/./b", "."),
                Arguments.of(RejectedPattern.DOT_SEGMENT, "/a/%2e/b", "."),
                Arguments.of(RejectedPattern.DOT_SEGMENT, "/a/%2E/b", "."),
                Arguments.of(RejectedPattern.DOT_SEGMENT, "/a/.", "."),
                Arguments.of(RejectedPattern.DOT_SEGMENT, "/.", "."),
                Arguments.of(RejectedPattern.EMPTY_SEGMENT, "//admin", "//"),
                Arguments.of(RejectedPattern.EMPTY_SEGMENT, "/a//b", "//"),
                Arguments.of(RejectedPattern.NUL, "/a%00b", "%00"),
                Arguments.of(RejectedPattern.NUL, "/a\u0000b", "\u0000"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a%0ab", "%0a"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a%0Db", "%0D"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a%7fb", "%7f"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a%7Fb", "%7F"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a\tb", "\t"),
                Arguments.of(RejectedPattern.CONTROL_CHARACTER, "/a%c2%85b", "\u0085"),
                Arguments.of(RejectedPattern.BAD_PERCENT_ENCODING, "/a%zzb", "%zz"),
                Arguments.of(RejectedPattern.BAD_PERCENT_ENCODING, "/a%ZZb", "%ZZ"),
                Arguments.of(RejectedPattern.BAD_PERCENT_ENCODING, "/a%2", "%2"),
                Arguments.of(RejectedPattern.BAD_PERCENT_ENCODING, "/a%", "%"),
                Arguments.of(RejectedPattern.BAD_PERCENT_ENCODING, "/a%g1", "%g1"),
                Arguments.of(RejectedPattern.PATH_PARAMETER, "/admin;x=1/y", ";"),
                Arguments.of(RejectedPattern.PATH_PARAMETER, "/admin%3bx", "%3b"),
                Arguments.of(RejectedPattern.PATH_PARAMETER, "/admin%3Bx", "%3B"),
                Arguments.of(RejectedPattern.INVALID_UTF8, "/a%c0%afb", "/a%c0%afb"),
                Arguments.of(RejectedPattern.INVALID_UTF8, "/a%C0%AFb", "/a%C0%AFb"),
                Arguments.of(RejectedPattern.INVALID_UTF8, "/a%ffb", "/a%ffb"),
                Arguments.of(RejectedPattern.LOOKALIKE_SEPARATOR, "/a%ef%bc%8fb", "\uFF0F"),
                Arguments.of(RejectedPattern.LOOKALIKE_SEPARATOR, "/a%EF%BC%8Eb", "\uFF0E"),
                Arguments.of(RejectedPattern.LOOKALIKE_ASCII, "/%ef%bd%81dmin", "\uFF41"),
                Arguments.of(RejectedPattern.LOOKALIKE_ASCII, "/%EF%BC%A1DMIN", "\uFF21"),
                Arguments.of(RejectedPattern.LOOKALIKE_ASCII, "/adm%c4%b1n", "\u0131"),
                Arguments.of(RejectedPattern.LOOKALIKE_ASCII, "/admin%C2%A0", "\u00A0"),
                Arguments.of(RejectedPattern.INVISIBLE_CHARACTER, "/ad%c2%admin", "\u00AD"),
                Arguments.of(RejectedPattern.INVISIBLE_CHARACTER, "/ad%E2%80%8Bmin", "\u200B"),
                Arguments.of(RejectedPattern.TRAILING_DOT_OR_SPACE, "/admin./x", "admin."),
                Arguments.of(RejectedPattern.TRAILING_DOT_OR_SPACE, "/admin%2e/x", "admin."),
                Arguments.of(RejectedPattern.TRAILING_DOT_OR_SPACE, "/admin%2E", "admin."),
                Arguments.of(RejectedPattern.TRAILING_DOT_OR_SPACE, "/admin%20/x", "admin "),
                Arguments.of(RejectedPattern.NON_ASCII, "/caf\u00e9", "\u00e9"),
                Arguments.of(RejectedPattern.FRAGMENT, "/a#b", "#"),
                Arguments.of(RejectedPattern.NOT_ORIGIN_PATH, "admin", "a"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("rejectedPaths")
    void canonicaliseWhenPathHasRejectedPatternThenRejectsQuotingIt(RejectedPattern row, String path, String found) {
        PathVerdict verdict = PathCanonicaliser.canonicalise(path);

        assertThat(verdict).isInstanceOf(PathVerdict.Rejected.class);
        Rejection rejection = ((PathVerdict.Rejected) verdict).rejection();
        assertThat(rejection.pattern()).isEqualTo(row);
        assertThat(rejection.found()).isEqualTo(found);
        assertThat(rejection.message()).startsWith(row.title()).contains(Rejection.quote(found));
        assertThat(rejection.reason().code()).isEqualTo("hygiene-" + row.code());
    }

    @Test
    void everyPathRowHasAnExample() {
        Set<RejectedPattern> headerRows = EnumSet.of(RejectedPattern.DUPLICATE_HOST, RejectedPattern.MISSING_HOST,
                RejectedPattern.MALFORMED_HOST,
                RejectedPattern.HOST_MISMATCH, RejectedPattern.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
                RejectedPattern.DUPLICATE_CONTENT_LENGTH, RejectedPattern.MALFORMED_CONTENT_LENGTH,
                RejectedPattern.UNSUPPORTED_TRANSFER_ENCODING, RejectedPattern.HEADER_CONTROL_CHARACTER,
                RejectedPattern.TARGET_MISMATCH); // needs a real server's request line: HygieneIT, HttpDesyncCorpusIT
        Set<RejectedPattern> covered = rejectedPaths().map(a -> (RejectedPattern) a.get()[0])
                .collect(Collectors.toSet());
        Set<RejectedPattern> missing = Arrays.stream(RejectedPattern.values())
                .filter(r -> !headerRows.contains(r) && !covered.contains(r))
                .collect(Collectors.toSet());
        assertThat(missing).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/b", "/api/v1/users/42", "/a.b/c", "/.well-known/x", "/a/b/", "/~user",
            "/a%20b", "/caf%C3%A9", "/x-y_z", "/a:b@c!$&'()*+,=", "/.hidden/x", "/a.b/c.d", "/%20a/b"})
    void canonicaliseWhenPathIsCleanThenAccepts(String path) {
        assertThat(PathCanonicaliser.canonicalise(path)).isInstanceOf(PathVerdict.Accepted.class);
    }

    @Test
    void canonicaliseDecodesUnreservedAndUppercasesOtherEscapes() {
        assertThat(PathCanonicaliser.canonicalise("/%61dmin/%7euser/a%2db/caf%c3%a9"))
                .isEqualTo(new PathVerdict.Accepted("/admin/~user/a-b/caf%C3%A9"));
    }

    @Test
    void canonicaliseWhenEmptyThenRoot() {
        assertThat(PathCanonicaliser.canonicalise("")).isEqualTo(new PathVerdict.Accepted("/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%00", "a=%zz", "a=b\u0001", "a=%", "a=b#frag"})
    void checkQueryWhenNulOrBadEncodingThenRejects(String query) {
        assertThat(PathCanonicaliser.checkQuery(query)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=b", "a=%0A%0D", "q=%2F%2e%2e%5C", "a=%25"})
    void checkQueryWhenEncodedTextThenAccepts(String query) {
        assertThat(PathCanonicaliser.checkQuery(query)).isEmpty();
    }

    @Test
    void checkQueryWhenRejectedThenMessageDoesNotShowTheQuery() {
        Rejection r = PathCanonicaliser.checkQuery("access_token=secret&x=%zz").orElseThrow();

        assertThat(r.message()).contains("\"%zz\"").doesNotContain("secret");
    }

    @Test
    void messageEscapesControlCharacters() {
        Rejection r = new Rejection(RejectedPattern.NUL, "\u0000", "path", "/a\u0000\"b");
        assertThat(r.message()).isEqualTo("NUL character: found \"\\x00\" in the path \"/a\\x00\\\"b\"");
    }
}
