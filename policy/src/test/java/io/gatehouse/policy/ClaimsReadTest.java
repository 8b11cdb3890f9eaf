package io.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.policy.load.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which claims a config reads: what the decision log captures and a replay needs (docs/operations.md, "Decision facts (for replay)"). */
class ClaimsReadTest {

    private static ClaimsRead read(String rules) {
        return PolicyLoader.load("gatehouse.yaml", """
                routes:
                  - id: app
                    from: https://app.corp.example
                    to: http://app.internal
                    policy:
                """ + rules.indent(6)).config().claimsRead();
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @CsvSource(delimiter = '|', textBlock = """
            allow: [{name: r, claims: {dept: [eng], acr: [mfa]}}]                              | acr dept
            allow: [{name: r, groups: [eng]}]                                                 | -
            allow: [{name: r, cel: 'identity.claims.dept[0] == "eng"'}]                         | dept
            allow: [{name: r, cel: 'identity.claims["cost-center"][0] == "42"'}]                | cost-center
            allow: [{name: r, cel: 'has(identity.claims.acr)'}]                                 | acr
            allow: [{name: r, cel: '"amr" in identity.claims'}]                                 | amr
            allow: [{name: r, cel: 'identity["claims"]["dept"][0] == "eng"'}]                   | dept
            allow: [{name: r, cel: 'identity.email.endsWith("@corp.example")'}]                 | -
            allow: [{name: r, cel: 'identity.claims.exists(k, k == "dept")'}]                   | *
            allow: [{name: r, cel: 'identity.claims[request.path][0] == "x"'}]                  | *
            allow: [{name: r, cel: 'size(identity) > 0'}]                                       | *
            allow: [{name: r, cel: 'size(identity.claims) > 0'}]                                | *
            deny: [{name: d, not: {claims: {acr: [mfa]}}}]                                     | acr
            allow: [{name: r, any: [{claims: {dept: [eng]}}, {all: [{cel: 'has(identity.claims.amr)'}]}]}] | amr dept
            """)
    void claimsReadWhenRulesNameClaimsThenTheNamesOrAll(String rules, String expected) {
        ClaimsRead read = read(rules);
        if (expected.equals("*")) {
            assertThat(read).isEqualTo(ClaimsRead.ALL);
        } else {
            assertThat(read.all()).isFalse();
            assertThat(read.names()).isEqualTo(expected.equals("-") ? List.of() : List.of(expected.split(" ")));
        }
    }

    @Test
    void claimsReadWhenARouteHasAShadowThenItsClaimsAreReadToo() {
        ClaimsRead read = PolicyLoader.load("gatehouse.yaml", """
                routes:
                  - id: app
                    from: https://app.corp.example
                    to: http://app.internal
                    policy:
                      allow: [{name: r, claims: {dept: [eng]}}]
                    shadow:
                      allow: [{name: r, cel: 'identity.claims.acr[0] == "mfa"'}]
                """).config().claimsRead();

        assertThat(read.names()).containsExactly("acr", "dept");
    }
}
