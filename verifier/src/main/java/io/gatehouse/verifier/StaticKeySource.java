package io.gatehouse.verifier;

import java.security.PublicKey;
import java.util.Objects;

/** A fixed key set, for tests and for backends that pin the gateway's keys in configuration. */
final class StaticKeySource implements KeySource {
    private final KeySet keys;

    StaticKeySource(KeySet keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    @Override
    public PublicKey key(String kid) throws AssertionRejectedException {
        PublicKey key = keys.get(kid);
        if (key == null) {
            throw new AssertionRejectedException(RejectionReason.UNKNOWN_KEY,
                    "kid " + AssertionRejectedException.quote(kid) + " is not one of " + keys.kids());
        }
        return key;
    }
}
