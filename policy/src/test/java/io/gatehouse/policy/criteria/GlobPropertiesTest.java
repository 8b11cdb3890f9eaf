package io.gatehouse.policy.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Glob matching against a regular-expression model of the documented semantics, on generated patterns and paths. */
class GlobPropertiesTest {

    @Property(tries = 2000)
    void matchesWhenRegexModelMatches(@ForAll("patterns") String pattern, @ForAll("paths") String path) {
        assertThat(Glob.compile(pattern).matches(path)).as("%s ~ %s", pattern, path).isEqualTo(model(pattern).matcher(path).matches());
    }

    @Property(tries = 500)
    void doubleStarUnderAPrefixMatchesThePrefixAndAllBelowIt(@ForAll("paths") String prefix, @ForAll("paths") String rest) {
        Assume.that(!prefix.endsWith("/") && !prefix.contains("//"));
        Glob glob = Glob.compile(prefix + "/**");
        assertThat(glob.matches(prefix)).isTrue();
        assertThat(glob.matches(prefix + rest)).isTrue();
        assertThat(glob.matches(prefix + "x" + rest)).as("no match without a segment boundary").isFalse();
    }

    @Property(tries = 500)
    void singleStarNeverCrossesASlash(@ForAll("paths") String path) {
        long segments = path.chars().filter(c -> c == '/').count();
        assertThat(Glob.compile("/*").matches(path)).isEqualTo(segments == 1);
    }

    @Property(tries = 1000)
    void matchesIgnoringCaseWhenCaseInsensitiveRegexModelMatches(@ForAll("patterns") String pattern,
                                                                  @ForAll("mixedCasePaths") String path) {
        Pattern insensitive = Pattern.compile(model(pattern).pattern(), Pattern.CASE_INSENSITIVE);
        assertThat(Glob.compile(pattern).matchesIgnoringCase(path)).as("%s ~ %s", pattern, path)
                .isEqualTo(insensitive.matcher(path).matches());
    }

    @Property(tries = 1000)
    void matchesIgnoringCaseWhenExactMatchThenAlsoInUpperCase(@ForAll("patterns") String pattern,
                                                              @ForAll("paths") String path) {
        Glob glob = Glob.compile(pattern);
        boolean exact = glob.matches(path);
        assertThat(glob.matchesIgnoringCase(path)).isEqualTo(exact); // these paths and patterns are lower case
        assertThat(glob.matchesIgnoringCase(path.toUpperCase(java.util.Locale.ROOT))).isEqualTo(exact);
    }

    @Provide
    Arbitrary<String> mixedCasePaths() {
        return Arbitraries.of("a", "B", "Ab", "bA", "AAB", "").list().ofMinSize(1).ofMaxSize(5)
                .map(segments -> "/" + String.join("/", segments));
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "ab", "*", "**", "a*", "*b", "a*b").list().ofMinSize(1).ofMaxSize(4)
                .map(segments -> "/" + String.join("/", segments));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("a", "b", "ab", "ba", "aab", "").list().ofMinSize(1).ofMaxSize(5)
                .map(segments -> "/" + String.join("/", segments));
    }

    /** The semantics in docs/policy.md: a whole-segment ** is zero or more segments, * is any run without /. */
    static Pattern model(String glob) {
        StringBuilder re = new StringBuilder();
        List<String> segments = List.of(glob.substring(1).split("/", -1));
        for (String segment : segments) {
            if (segment.equals("**")) {
                re.append("(?:/.*)?");
                continue;
            }
            re.append('/');
            for (String part : segment.split("(?<=\\*)|(?=\\*)")) {
                re.append(part.equals("*") ? "[^/]*" : Pattern.quote(part));
            }
        }
        return Pattern.compile(re.toString());
    }
}
