package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The key ring: which keys the JWKS publishes and which one signs, at a given instant (docs/design.md, "The assertion
 * header": rotation with overlap). Published: every key not yet retired, including one whose {@code not-before}
 * is still ahead (publish before use). Signing: among the keys that {@link SigningKey#signsAt may sign} now, the one
 * with the latest {@code not-before} (a key without one counts as oldest). No key may sign: empty, and the
 * ASSERT stage fails closed.
 */
public final class SigningKeys {

    /** Clock skew a verifier allows past {@code exp}: a key that left stays published this much longer. */
    public static final Duration VERIFIER_SKEW = Duration.ofSeconds(30);

    private final List<SigningKey> keys;
    private final Duration ttl;

    public SigningKeys(List<SigningKey> keys, Duration ttl) {
        this.keys = List.copyOf(keys);
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (this.keys.isEmpty()) {
            throw new IllegalArgumentException("no signing keys");
        }
        Set<String> kids = new HashSet<>();
        for (SigningKey k : this.keys) {
            if (!kids.add(k.kid())) {
                throw new IllegalArgumentException("signing key kid " + k.kid() + " appears twice");
            }
        }
    }

    public List<SigningKey> all() {
        return keys;
    }

    public Duration ttl() {
        return ttl;
    }

    /** The key that signs at {@code now}, or empty when none may. */
    public Optional<SigningKey> signingAt(Instant now) {
        return keys.stream()
                .filter(k -> k.signsAt(now, ttl))
                .max(Comparator.comparing((SigningKey k) -> k.notBefore() == null ? Instant.MIN : k.notBefore()));
    }

    /** The public keys to publish at {@code now}. */
    public JWKSet publishedAt(Instant now) {
        List<JWK> published = keys.stream()
                .filter(k -> k.publishedAt(now))
                .map(k -> (JWK) k.key().toPublicJWK())
                .toList();
        return new JWKSet(published);
    }

    /**
     * The ring after the key files were read again ({@code loaded}: what the files hold now, with the configured
     * windows), keeping the rotation rules without a restart:
     * <ul>
     *   <li>a key already in this ring (same kid, same key) keeps its window;</li>
     *   <li>a new kid without a configured {@code not-before} is published now and signs from
     *       {@code now + publishAhead} (publish before use: every replica and every verifier's JWKS cache can see it
     *       first);</li>
     *   <li>a kid that left the files stays published, and signs until the new key takes over, then retires
     *       {@code assertion-ttl} + {@link #VERIFIER_SKEW} later, so every assertion it signed still verifies;</li>
     *   <li>a kid that now names a different key is refused: a verifier that cached the old key under that kid would
     *       reject every new assertion, and an assertion in flight would fail against the new one.</li>
     * </ul>
     *
     * @throws IllegalArgumentException with the reason, when the new ring must not replace this one
     */
    public SigningKeys successor(List<SigningKey> loaded, Instant now, Duration publishAhead) {
        Map<String, SigningKey> old = new LinkedHashMap<>();
        keys.forEach(k -> old.put(k.kid(), k));
        Instant switchAt = now.plus(publishAhead);
        boolean anyNew = loaded.stream().anyMatch(k -> !old.containsKey(k.kid()));
        List<SigningKey> next = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (SigningKey k : loaded) {
            SigningKey before = old.get(k.kid());
            if (before != null) {
                if (!before.key().equals(k.key())) {
                    throw new IllegalArgumentException("kid " + k.kid() + " now names a different key: a new key needs a"
                            + " new kid (leave gatehouse.signing.keys[i].kid unset to derive it from the key)");
                }
                next.add(before);
            } else {
                next.add(k.notBefore() != null ? k : new SigningKey(k.kid(), k.key(), switchAt, k.retireAfter()));
            }
            kept.add(k.kid());
        }
        if (new SigningKeys(next, ttl).signingAt(switchAt).isEmpty()) {
            throw new IllegalArgumentException("no key of the new set may sign at " + switchAt
                    + " (every key is retired or not yet valid)");
        }
        Instant leftRetire = (anyNew ? switchAt : now).plus(ttl).plus(VERIFIER_SKEW);
        for (SigningKey gone : keys) {
            if (kept.contains(gone.kid())) {
                continue;
            }
            Instant retire = gone.retireAfter() == null || gone.retireAfter().isAfter(leftRetire)
                    ? leftRetire : gone.retireAfter();
            if (retire.isAfter(now) && (gone.notBefore() == null || retire.isAfter(gone.notBefore()))) {
                next.add(new SigningKey(gone.kid(), gone.key(), gone.notBefore(), retire));
            }
        }
        SigningKeys ring = new SigningKeys(next, ttl);
        if (ring.signingAt(now).isEmpty()) {
            throw new IllegalArgumentException("no key of the new set may sign now (" + now + ")");
        }
        return ring;
    }
}
