package io.gatehouse.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests: a CA (both the server's issuer and the device CA), a server certificate for
 * {@code localhost} and {@code 127.0.0.1} (and any further DNS names given to {@link #create(Path, String, List)}),
 * device client certificates and ES256 signing keys, all written to one directory as PEM
 * and PKCS#12 (password {@link #PASSWORD}). Keys are EC P-256. Nothing here is a secret worth keeping.
 */
public final class DevPki {

    public static final String PASSWORD = "changeit";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key, and where both were written. {@code sha256} is the DER fingerprint in lower-case hex. */
    public record Issued(String name, X509Certificate certificate, PrivateKey key, Path certificatePem, Path keyPem,
                         Path pkcs12, String sha256) {
    }

    private final Path dir;
    private final String caName;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final Path caPem;
    private final List<String> serverNames;
    private final Issued server;

    private DevPki(Path dir, String caName, List<String> serverNames) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.caName = caName;
        this.serverNames = List.copyOf(serverNames);
        this.caKeys = ecKeyPair();
        this.caCertificate = caCertificate(caName, caKeys);
        this.caPem = dir.resolve(caName + "-ca.pem");
        writePem(caPem, caCertificate);
        this.server = issue("server", true);
    }

    /** A new CA named {@code gatehouse-test} with its server certificate, written under {@code dir}. */
    public static DevPki create(Path dir) {
        return create(dir, "gatehouse-test");
    }

    /** A new CA named {@code caName}; use a second one for "a certificate from some other CA". */
    public static DevPki create(Path dir, String caName) {
        return create(dir, caName, List.of("localhost"));
    }

    /**
     * A new CA named {@code caName} whose server certificates name {@code serverNames} (DNS, wildcards allowed, e.g.
     * {@code *.localhost} for a browser's per-app hosts) and {@code 127.0.0.1}.
     */
    public static DevPki create(Path dir, String caName, List<String> serverNames) {
        if (serverNames.isEmpty()) {
            throw new IllegalArgumentException("serverNames: name at least one host");
        }
        try {
            Files.createDirectories(dir);
            return new DevPki(dir, caName, serverNames);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create the test PKI in " + dir, e);
        }
    }

    public X509Certificate caCertificate() { return caCertificate; }
    public Path caPem() { return caPem; }
    public Issued server() { return server; }

    /** A device client certificate (CN = {@code name}) issued by this CA. */
    public Issued issueDevice(String name) {
        try {
            return issue(name, false);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue device certificate " + name, e);
        }
    }

    /**
     * A client certificate for a proxy calling the decision service (CN = {@code name}) with subject alternative
     * names: each {@code san} containing {@code :} is a URI SAN (e.g. {@code spiffe://cluster.local/ns/x/sa/y}),
     * any other a DNS SAN.
     */
    public Issued issueCaller(String name, String... sans) {
        try {
            List<GeneralName> names = new ArrayList<>();
            for (String san : sans) {
                names.add(new GeneralName(san.contains(":") ? GeneralName.uniformResourceIdentifier
                        : GeneralName.dNSName, san));
            }
            return issue(name, false, names);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue caller certificate " + name, e);
        }
    }

    /** Another server certificate for this PKI's server names and {@code 127.0.0.1} from this CA (a renewal), under its own file names. */
    public Issued issueServer(String name) {
        try {
            return issue(name, true);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot issue server certificate " + name, e);
        }
    }

    /** An EC P-256 key pair written as PKCS#8 PEM ({@code <name>.key.pem}), e.g. for an assertion signing key. */
    public Path writeSigningKeyPem(String name) {
        try {
            KeyPair pair = ecKeyPair();
            Path path = dir.resolve(name + ".key.pem");
            writePem(path, pair.getPrivate());
            return path;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write signing key " + name, e);
        }
    }

    /** An EC P-256 key with a self-signed certificate in a PKCS#12 file (alias {@code name}, password {@link #PASSWORD}). */
    public Path writeSigningKeyPkcs12(String name) {
        try {
            KeyPair pair = ecKeyPair();
            X509Certificate cert = caCertificate(name, pair);
            Path path = dir.resolve(name + ".p12");
            writePkcs12(path, name, pair.getPrivate(), new Certificate[] {cert});
            return path;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write signing key " + name, e);
        }
    }

    private Issued issue(String name, boolean serverCert) throws GeneralSecurityException, IOException {
        return issue(name, serverCert, List.of());
    }

    private Issued issue(String name, boolean serverCert, List<GeneralName> clientNames)
            throws GeneralSecurityException, IOException {
        KeyPair keys = ecKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                new X500Name("CN=" + name + ",O=Gatehouse Test"), keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCertificate));
        builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        if (serverCert) {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            List<GeneralName> names = new ArrayList<>();
            serverNames.forEach(host -> names.add(new GeneralName(GeneralName.dNSName, host)));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        } else {
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (!clientNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(clientNames.toArray(GeneralName[]::new)));
            }
        }
        X509Certificate cert = sign(builder, caKeys.getPrivate());
        String base = caName + "-" + name;
        Path certPem = dir.resolve(base + ".crt.pem");
        Path keyPem = dir.resolve(base + ".key.pem");
        Path p12 = dir.resolve(base + ".p12");
        writePem(certPem, cert);
        writePem(keyPem, keys.getPrivate());
        writePkcs12(p12, name, keys.getPrivate(), new Certificate[] {cert, caCertificate});
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        return new Issued(name, cert, keys.getPrivate(), certPem, keyPem, p12, sha256);
    }

    private static X509Certificate caCertificate(String name, KeyPair keys) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + name + ",O=Gatehouse Test");
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3))), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        builder.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return sign(builder, keys.getPrivate());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static void writePem(Path path, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            // Private keys as PKCS#8 "PRIVATE KEY", the form every consumer (JDK, Netty, Boot, OpenSSL) reads.
            pem.writeObject(object instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : object);
        }
        Files.writeString(path, text.toString());
    }

    private static void writePkcs12(Path path, String alias, PrivateKey key, Certificate[] chain)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(alias, key, PASSWORD.toCharArray(), chain);
        try (OutputStream out = Files.newOutputStream(path)) {
            store.store(out, PASSWORD.toCharArray());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
