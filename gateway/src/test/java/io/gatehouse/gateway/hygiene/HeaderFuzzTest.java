package io.gatehouse.gateway.hygiene;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.HttpHeaders;

/** Fuzzes the header rules and the header stripping with generated names and values. */
class HeaderFuzzTest {

    private static final URI TARGET = URI.create("https://app.corp.example/x");

    @Property(tries = 2000)
    void anyHeaderValueIsJudgedWithoutThrowingAndControlCharactersAreAlwaysRejected(
            @ForAll("names") String name, @ForAll("values") String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, value);

        var found = HeaderRules.check(headers, TARGET);

        boolean control = value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f);
        if (control) {
            assertThat(found).isPresent();
        }
        found.ifPresent(r -> assertThat(r.message()).doesNotContain("\r", "\n", "\u0000"));
    }

    @Property(tries = 2000)
    void everySpellingOfAGatehouseHeaderIsRemovedEvenFromATrustedProxy(@ForAll("gatehouseSpellings") String name,
                                                                       @ForAll boolean trusted) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, "forged");
        headers.add("Accept", "*/*");

        InboundHeaders.defaults().strip(headers, trusted);

        assertThat(headers.keySet()).containsExactly("Accept");
    }

    @Property(tries = 1000)
    void everySpellingOfAForwardingHeaderIsRemovedFromAnUntrustedPeer(@ForAll("forwardingSpellings") String name) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, "1.2.3.4");

        InboundHeaders.defaults().strip(headers, false);

        assertThat(headers.isEmpty()).isTrue();
    }

    @Property(tries = 2000)
    void everySpellingOfAnIdentityOrMethodOverrideHeaderIsRemovedEvenFromATrustedProxy(
            @ForAll("identitySpellings") String name, @ForAll boolean trusted) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(name, "pat@corp.example");
        headers.add("Accept", "*/*");

        // The configured forwarded-certificate header is the one identity header a trusted proxy may send (DEVICE
        // reads it); here it is a name off the list, so every listed name must go.
        new InboundHeaders(IdentityHeaders.builtIn(), "X-Device-Certificate").strip(headers, trusted);

        assertThat(headers.keySet()).as(name).containsExactly("Accept");
    }

    @Provide
    Arbitrary<String> identitySpellings() {
        // every built-in entry; a prefix entry gets a suffix, as a real header name would have
        Arbitrary<String> names = Arbitraries.of(IdentityHeaders.BUILT_IN)
                .map(entry -> entry.endsWith("*") ? entry.substring(0, entry.length() - 1) + "Name-1" : entry);
        return spell(Arbitraries.oneOf(names,
                Arbitraries.of("x-http-method-override", "x-http-method", "x-method-override")));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.of("Host", "Content-Length", "Transfer-Encoding", "X-A", "Accept", "Cookie");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> gatehouseSpellings() {
        return spell(Arbitraries.of("x-gatehouse-assertion", "x-gatehouse-user", "x-gatehouse-", "x-gatehouse-a-b"));
    }

    @Provide
    Arbitrary<String> forwardingSpellings() {
        return spell(Arbitraries.of("x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "forwarded",
                "x-real-ip", "x-forwarded-client-cert", "true-client-ip"));
    }

    /** Random case per character and '_' or '-' per separator. */
    private static Arbitrary<String> spell(Arbitrary<String> base) {
        return base.flatMap(name -> Arbitraries.integers().between(0, Integer.MAX_VALUE).map(seed -> {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean bit = ((seed >> (i % 31)) & 1) == 1;
                if (c == '-') {
                    out.append(bit ? '_' : '-');
                } else {
                    out.append(bit ? Character.toUpperCase(c) : Character.toLowerCase(c));
                }
            }
            return out.toString();
        }));
    }
}
