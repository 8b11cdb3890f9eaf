package io.gatehouse.verifier;

import java.security.PublicKey;

/** Where the verifier gets the gateway's public key for a {@code kid}. */
interface KeySource {
    /**
     * The key named {@code kid}.
     *
     * @throws AssertionRejectedException {@link RejectionReason#UNKNOWN_KEY} when the gateway
     *     does not publish it, {@link RejectionReason#KEYS_UNAVAILABLE} when no key set is known
     */
    PublicKey key(String kid) throws AssertionRejectedException;
}
