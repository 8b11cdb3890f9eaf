package io.gatehouse.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The "did you mean" helper and the edit distance it (and the gateway's unknown-property check) uses. */
class SuggestTest {

    @Test
    void whenNeighboursSwappedThenDistanceIsOneEdit() {
        assertThat(Suggest.distance("trsut", "trust")).isEqualTo(1);
        assertThat(Suggest.distance("tokne", "token")).isEqualTo(1);
    }

    @Test
    void whenInsertedDeletedOrSubstitutedThenEachCostsOne() {
        assertThat(Suggest.distance("isuer", "issuer")).isEqualTo(1);
        assertThat(Suggest.distance("", "abc")).isEqualTo(3);
        assertThat(Suggest.distance("groups", "grope")).isEqualTo(2);
        assertThat(Suggest.distance("same", "same")).isZero();
    }

    @Test
    void whenCaseDiffersThenDistanceCountsItButClosestDoesNot() {
        assertThat(Suggest.distance("Groups", "groups")).isEqualTo(1);
        assertThat(Suggest.closest("GRUOPS", List.of("groups", "claims"))).isEqualTo("groups");
    }

    @Test
    void whenNothingIsCloseThenOnlyTheAllowedWordsAreListed() {
        assertThat(Suggest.expected("zzzzzz", List.of("groups", "claims"))).isEqualTo("expected one of groups, claims");
        assertThat(Suggest.expected("grups", List.of("groups", "claims")))
                .isEqualTo("did you mean \"groups\"? expected one of groups, claims");
    }
}
