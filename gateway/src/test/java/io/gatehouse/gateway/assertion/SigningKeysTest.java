package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Rotation with overlap: publish before use, keep until the last token expired. */
class SigningKeysTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(2);

    private static SigningKey key(String kid, @Nullable Instant notBefore, @Nullable Instant retireAfter) throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        return new SigningKey(kid, ec, notBefore, retireAfter);
    }

    private static List<String> published(SigningKeys ring, Instant at) {
        return ring.publishedAt(at).getKeys().stream().map(JWK::getKeyID).toList();
    }

    @Test
    void rotationWhenNextKeyNotYetValidThenPublishedButOldKeySigns() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, T0.plus(Duration.ofHours(2))),
                key("k2", T0.plus(Duration.ofHours(1)), null)), TTL);

        assertThat(published(ring, T0)).containsExactly("k1", "k2");
        assertThat(ring.signingAt(T0)).get().extracting(SigningKey::kid).isEqualTo("k1");
    }

    @Test
    void rotationWhenNextKeyReachesNotBeforeThenItSignsAndOldStaysPublished() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, T0.plus(Duration.ofHours(2))),
                key("k2", T0.plus(Duration.ofHours(1)), null)), TTL);
        Instant switchover = T0.plus(Duration.ofHours(1));

        assertThat(ring.signingAt(switchover)).get().extracting(SigningKey::kid).isEqualTo("k2");
        assertThat(published(ring, switchover)).containsExactly("k1", "k2");
    }

    @Test
    void rotationWhenOldKeyRetiredThenNoLongerPublished() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, T0.plus(Duration.ofHours(2))),
                key("k2", T0.plus(Duration.ofHours(1)), null)), TTL);

        assertThat(published(ring, T0.plus(Duration.ofHours(2)))).containsExactly("k2");
    }

    @Test
    void rotationWhenTokenWouldOutliveKeyThenKeyNoLongerSigns() throws Exception {
        Instant retire = T0.plus(Duration.ofHours(1));
        SigningKeys ring = new SigningKeys(List.of(key("only", null, retire)), TTL);

        assertThat(ring.signingAt(retire.minus(TTL))).isPresent();
        assertThat(ring.signingAt(retire.minus(TTL).plusSeconds(1))).isEmpty();
        assertThat(published(ring, retire.minusSeconds(1))).containsExactly("only");
    }

    @Test
    void keysWhenKidRepeatedThenRejected() {
        assertThatThrownBy(() -> new SigningKeys(List.of(key("k", null, null), key("k", null, null)), TTL))
                .hasMessageContaining("kid k appears twice");
    }

    @Test
    void publishedKeysNeverCarryThePrivatePart() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, null)), TTL);

        assertThat(ring.publishedAt(T0).toString(false)).doesNotContain("\"d\"");
    }

    @Test
    void reloadWhenFileHoldsNewKeyThenPublishedAtOnceSignsAfterPublishAheadAndOldKeepsOverlap() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("old", null, null)), TTL);
        Duration ahead = Duration.ofMinutes(2);

        SigningKeys next = ring.successor(List.of(key("new", null, null)), T0, ahead);

        assertThat(published(next, T0)).containsExactlyInAnyOrder("old", "new");
        assertThat(next.signingAt(T0)).get().extracting(SigningKey::kid).isEqualTo("old");
        assertThat(next.signingAt(T0.plus(ahead))).get().extracting(SigningKey::kid).isEqualTo("new");
        // The old key's last token (signed just before the switch) expires within ttl; it stays published until
        // then plus the verifier's skew, and not a moment longer.
        Instant oldGone = T0.plus(ahead).plus(TTL).plus(SigningKeys.VERIFIER_SKEW);
        assertThat(published(next, oldGone.minusSeconds(1))).contains("old");
        assertThat(published(next, oldGone)).containsExactly("new");
    }

    @Test
    void reloadWhenNothingChangedThenSameWindowsKept() throws Exception {
        SigningKey k1 = key("k1", null, null);
        SigningKeys ring = new SigningKeys(List.of(k1), TTL).successor(List.of(k1, key("k2", null, null)), T0, TTL);

        SigningKeys again = ring.successor(ring.all().stream()
                .map(k -> new SigningKey(k.kid(), k.key(), null, null)).toList(), T0.plusSeconds(1), TTL);

        // k2 keeps the not-before the first reload gave it; a second reload does not make it sign earlier.
        assertThat(again.signingAt(T0.plusSeconds(2))).get().extracting(SigningKey::kid).isEqualTo("k1");
        assertThat(again.signingAt(T0.plus(TTL))).get().extracting(SigningKey::kid).isEqualTo("k2");
    }

    @Test
    void reloadWhenConfiguredKidNowNamesAnotherKeyThenRefused() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, null)), TTL);

        assertThatThrownBy(() -> ring.successor(List.of(key("k1", null, null)), T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kid k1 now names a different key");
    }

    @Test
    void reloadWhenNewSetHasNoKeyThatMaySignThenRefused() throws Exception {
        SigningKeys ring = new SigningKeys(List.of(key("k1", null, null)), TTL);

        SigningKey retiring = key("k2", null, T0.plusSeconds(10)); // a token of 2 min would outlive it

        assertThatThrownBy(() -> ring.successor(List.of(retiring), T0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no key of the new set may sign");
    }
}
