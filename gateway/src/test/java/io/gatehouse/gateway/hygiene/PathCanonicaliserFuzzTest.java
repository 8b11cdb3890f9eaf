package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzes the canonicaliser: whatever it accepts is canonical, idempotent and free of traversal material. */
class PathCanonicaliserFuzzTest {

    @Property(tries = 3000)
    void acceptedPathsAreIdempotentAndClean(@ForAll("paths") String raw) {
        if (!(PathCanonicaliser.canonicalise(raw) instanceof PathVerdict.Accepted accepted)) {
            return;
        }
        String canonical = accepted.path();
        assertThat(PathCanonicaliser.canonicalise(canonical)).isEqualTo(new PathVerdict.Accepted(canonical));
        assertThat(canonical).startsWith("/")
                .doesNotContain("..", "//", "\\", "\u0000", ";")
                .doesNotContainPattern("%(2[fF5]|5[cC]|00)")
                .doesNotContainPattern("/\\.(/|$)")
                .doesNotContainPattern("(\\.|%20)(/|$)");
    }

    @Property(tries = 2000)
    void anythingEitherAcceptedOrRejectedNeverThrows(@ForAll String raw) {
        assertThat(PathCanonicaliser.canonicalise(raw)).isNotNull();
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> pieces = Arbitraries.of("/", "a", "B", ".", "..", "%2e", "%2E", "%2f", "%5c", "%25", "%",
                "%00", "%41", "%7e", "%c3%a9", "%C0%AF", "%zz", "\\", ";", "%3b", "~", "-", " ", "%20", "\u0000", "é",
                "%ef%bc%8f", "//", "?", "%ef%bd%81", "%c2%ad", "%c4%b1", "%c2%a0");
        return pieces.list().ofMinSize(0).ofMaxSize(12).map(list -> "/" + String.join("", list));
    }
}
