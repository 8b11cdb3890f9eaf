package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.JWSAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Collections;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * Reads one EC P-256 private key from a PEM file ({@code EC PRIVATE KEY} or PKCS#8 {@code PRIVATE KEY}) or a
 * PKCS#12 store, and returns it as a Nimbus {@link ECKey} with its {@code kid}. Anything else (another curve,
 * an RSA key, an encrypted PEM, a missing file) throws {@link IllegalStateException} naming the key and file, so
 * startup fails with a sentence rather than a stack of parser frames.
 */
final class SigningKeyLoader {

    private SigningKeyLoader() {
    }

    static ECKey load(String kid, Path path, @Nullable String format, @Nullable String password, @Nullable String alias) {
        try {
            boolean pkcs12 = format != null
                    ? format.toLowerCase(Locale.ROOT).equals("pkcs12")
                    : path.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(p12|pfx)$");
            ECPrivateKey privateKey;
            ECPublicKey publicKey;
            if (pkcs12) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                char[] secret = password == null ? new char[0] : password.toCharArray();
                try (InputStream in = Files.newInputStream(path)) {
                    store.load(in, secret);
                }
                String name = alias != null ? alias : onlyKeyAlias(store, path);
                Key key = store.getKey(name, secret);
                if (!(key instanceof ECPrivateKey ec)) {
                    throw new IllegalStateException("entry " + name + " is not an EC private key");
                }
                privateKey = ec;
                publicKey = (ECPublicKey) store.getCertificate(name).getPublicKey();
            } else {
                privateKey = readPem(path);
                publicKey = derivePublic(privateKey);
            }
            if (!Curve.P_256.equals(Curve.forECParameterSpec(privateKey.getParams()))) {
                throw new IllegalStateException("the key is not on curve P-256 (ES256 needs P-256)");
            }
            return new ECKey.Builder(Curve.P_256, publicKey).privateKey(privateKey).keyID(kid)
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("gatehouse.signing key " + kid + ": cannot read an EC P-256 private key from "
                    + path + ": " + e.getMessage(), e);
        }
    }

    private static String onlyKeyAlias(KeyStore store, Path path) throws GeneralSecurityException {
        var keys = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).toList();
        if (keys.size() != 1) {
            throw new IllegalStateException(path + " holds " + keys.size() + " key entries " + keys + "; name one with alias");
        }
        return keys.get(0);
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ECPrivateKey readPem(Path path) throws IOException {
        try (Reader reader = Files.newBufferedReader(path); PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item; (item = parser.readObject()) != null; ) {
                PrivateKey key = null;
                if (item instanceof PEMKeyPair pair) {
                    // SEC1 "EC PRIVATE KEY"; its public point is optional, so read only the private part.
                    key = converter.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (item instanceof PrivateKeyInfo info) {
                    key = converter.getPrivateKey(info);
                }
                if (key != null) {
                    if (!(key instanceof ECPrivateKey ec)) {
                        throw new IllegalStateException("the PEM key is " + key.getAlgorithm() + ", not EC");
                    }
                    return ec;
                }
            }
        }
        throw new IllegalStateException("no unencrypted private key in the PEM file");
    }

    /** Q = d·G on P-256, so a PKCS#8 file without the public point still gives a publishable key. */
    static ECPublicKey derivePublic(ECPrivateKey privateKey) throws GeneralSecurityException {
        X9ECParameters curve = ECNamedCurveTable.getByName("secp256r1");
        org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(privateKey.getS()).normalize();
        ECPoint w = new ECPoint(new BigInteger(1, q.getAffineXCoord().getEncoded()),
                new BigInteger(1, q.getAffineYCoord().getEncoded()));
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, privateKey.getParams()));
        return (ECPublicKey) key;
    }
}
