package io.gatehouse.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's signing keys by {@code kid}, ready for verification: only EC P-256 keys meant for
 * signatures (no {@code use} or {@code use=sig}; no {@code alg} or {@code alg=ES256}) are kept,
 * the others are ignored, so a key published for something else can never verify an assertion.
 */
final class KeySet {
    private static final System.Logger LOG = System.getLogger(KeySet.class.getName());
    private final Map<String, PublicKey> keys;

    private KeySet(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    static KeySet of(JWKSet jwks, Es256Signatures signatures) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (JWK jwk : jwks.getKeys()) {
            if (jwk instanceof ECKey ec && usable(ec)) {
                try {
                    // toPublicJWK: a private part published by mistake is never used
                    keys.putIfAbsent(ec.getKeyID(), signatures.translate(ec.toPublicJWK().toECPublicKey()));
                } catch (JOSEException | GeneralSecurityException e) {
                    // leave the key out: the set's other keys still work
                    LOG.log(System.Logger.Level.WARNING, "ignoring gateway key {0}: {1}", ec.getKeyID(), e.getMessage());
                }
            }
        }
        return new KeySet(keys);
    }

    private static boolean usable(ECKey ec) {
        return ec.getKeyID() != null
                && Curve.P_256.equals(ec.getCurve())
                && (ec.getKeyUse() == null || KeyUse.SIGNATURE.equals(ec.getKeyUse()))
                && (ec.getAlgorithm() == null || JWSAlgorithm.ES256.equals(ec.getAlgorithm()));
    }

    @Nullable PublicKey get(String kid) {
        return keys.get(kid);
    }

    Set<String> kids() {
        return keys.keySet();
    }
}
