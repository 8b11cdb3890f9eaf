package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The key ring: which keys the JWKS publishes and which one signs, at a given instant (DESIGN.md, "The assertion
 * header": rotation with overlap). Published: every key not yet retired, including one whose {@code not-before}
 * is still ahead (publish before use). Signing: among the keys that {@link SigningKey#signsAt may sign} now, the one
 * with the latest {@code not-before} (a key without one counts as oldest). No key may sign: empty, and the
 * ASSERT stage fails closed.
 */
public final class SigningKeys {

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
}
