package io.gatehouse.gateway.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.springframework.boot.ssl.SslBundle;

/**
 * Checks a server SSL bundle as a whole before it is put in force (the public listener's {@code ReloadingServerTls}
 * and the decision listeners' {@code decisionservice.AuthzTls}): every store loads, each private key belongs to its
 * certificate (a new certificate next to the old key is refused), the certificate is within its validity, a trust
 * store holds at least one CA. Spring Boot's PEM stores are read lazily, so without this a broken file would only
 * show as failing handshakes.
 */
public final class ServerBundleCheck {

    private ServerBundleCheck() {
    }

    /**
     * Loads every store and checks the set as a whole; returns a description of the certificate. Boot's PEM stores
     * are read lazily, so without this a broken file would only show as failing handshakes.
     */
    public static String check(SslBundle bundle) throws GeneralSecurityException {
        KeyStore keys = bundle.getStores().getKeyStore();
        if (keys == null) {
            throw new GeneralSecurityException("no server key store");
        }
        List<String> served = new ArrayList<>();
        for (String alias : Collections.list(keys.aliases())) {
            if (!keys.isKeyEntry(alias)) {
                continue;
            }
            Key key = key(keys, alias, bundle);
            Certificate[] chain = keys.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0
                    || !(chain[0] instanceof X509Certificate cert)) {
                throw new GeneralSecurityException("entry " + alias + " has no private key with a certificate");
            }
            cert.checkValidity();
            matches(privateKey, cert);
            served.add(cert.getSubjectX500Principal().getName() + " serial " + cert.getSerialNumber().toString(16)
                    + " until " + cert.getNotAfter().toInstant());
        }
        if (served.isEmpty()) {
            throw new GeneralSecurityException("no private key entry in the server key store");
        }
        KeyStore trust = bundle.getStores().getTrustStore();
        if (trust != null && trust.size() == 0) {
            throw new GeneralSecurityException("the trust store (device CA) holds no certificate");
        }
        bundle.getManagers().getKeyManagerFactory();
        bundle.getManagers().getTrustManagerFactory();
        bundle.createSslContext();
        return served + (trust == null ? "" : ", trusting " + trust.size() + " device CA certificate(s)");
    }

    private static Key key(KeyStore keys, String alias, SslBundle bundle) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String password : Stream.of(bundle.getKey().getPassword(), bundle.getStores().getKeyStorePassword(), "")
                .filter(p -> p != null).toList()) {
            try {
                Key key = keys.getKey(alias, password.toCharArray());
                if (key != null) {
                    return key;
                }
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last != null ? last : new GeneralSecurityException("cannot read the key of entry " + alias);
    }

    /** The private key signs, the certificate's public key verifies: they are one pair. */
    private static void matches(PrivateKey key, X509Certificate cert) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "ED25519", "EDDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // a key type we cannot test: the handshake will tell
        }
        byte[] challenge = "gatehouse server key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key does not belong to the certificate "
                    + cert.getSubjectX500Principal().getName() + " (serial " + cert.getSerialNumber().toString(16) + ")");
        }
    }

}
