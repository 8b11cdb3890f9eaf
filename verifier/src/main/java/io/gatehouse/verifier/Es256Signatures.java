package io.gatehouse.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.impl.ECDSA;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * ES256 (ECDSA P-256 with SHA-256) verification through one JCA provider: Amazon Corretto
 * Crypto Provider when it is on the class path and healthy, the JDK's otherwise. The JDK's
 * pure-Java ECDSA costs over a millisecond of CPU per verification; ACCP's native one about a
 * twentieth of that. The provider is used directly and never installed globally, so the
 * backend's own crypto is not changed behind its back. Thread-safe: each thread keeps its own
 * {@link Signature}.
 */
final class Es256Signatures {
    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    // Order of the P-256 group; r and s must lie in [1, n-1] (CVE-2022-21449 "psychic signatures").
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final @Nullable Provider provider;
    private final ThreadLocal<Signature> signatures;

    Es256Signatures(@Nullable Provider provider) {
        this.provider = provider;
        this.signatures = ThreadLocal.withInitial(this::newSignature);
        newSignature(); // fail now, not on the first request, if the provider lacks ECDSA
    }

    /** Uses ACCP when it loads and reports itself healthy, else the JDK's default providers. */
    static Es256Signatures preferNative() {
        return new Es256Signatures(nativeProvider());
    }

    static @Nullable Provider nativeProvider() {
        try {
            Class<?> type = Class.forName(ACCP_CLASS, true, Es256Signatures.class.getClassLoader());
            Provider accp = (Provider) type.getField("INSTANCE").get(null);
            Object loadingError = type.getMethod("getLoadingError").invoke(accp);
            return loadingError == null ? accp : null;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null; // not on the class path, or no native library for this platform
        }
    }

    /** The provider's name, e.g. {@code AmazonCorrettoCryptoProvider} or {@code SunEC}. */
    String providerName() {
        return signatures.get().getProvider().getName();
    }

    /** Converts a key once, at key-set load, into the provider's own key type. */
    PublicKey translate(PublicKey key) throws GeneralSecurityException {
        KeyFactory factory = provider == null ? KeyFactory.getInstance("EC") : KeyFactory.getInstance("EC", provider);
        return factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    }

    /**
     * True when {@code jwsSignature} (the 64-byte R||S form JWS uses) is a valid signature of
     * {@code signingInput} by {@code key}.
     */
    boolean verify(PublicKey key, byte[] signingInput, byte[] jwsSignature) {
        if (jwsSignature.length != 64 || !inRange(jwsSignature, 0) || !inRange(jwsSignature, 32)) {
            return false;
        }
        try {
            Signature signature = signatures.get();
            signature.initVerify(key);
            signature.update(signingInput);
            return signature.verify(ECDSA.transcodeSignatureToDER(jwsSignature));
        } catch (GeneralSecurityException | JOSEException e) {
            return false;
        }
    }

    private static boolean inRange(byte[] sig, int from) {
        BigInteger v = new BigInteger(1, Arrays.copyOfRange(sig, from, from + 32));
        return v.signum() > 0 && v.compareTo(P256_ORDER) < 0;
    }

    private Signature newSignature() {
        try {
            return provider == null
                    ? Signature.getInstance("SHA256withECDSA")
                    : Signature.getInstance("SHA256withECDSA", Objects.requireNonNull(provider));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no SHA256withECDSA in " + provider, e);
        }
    }
}
