package io.gatehouse.k8s.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The key material the manifests expect from cert-manager, trust-manager, the secrets manager and the outside world,
 * made with openssl at test time (never stored): the internal CA and the gateway's listener certificate for the
 * Certificate's dnsNames (PKCS#8 key, as its {@code privateKey.encoding} asks), the device CA and one device, the
 * assertion signing key (PKCS#8 PEM), a database CA and server certificate (for {@code sslmode=verify-full}), and a
 * "public" CA standing in for the one a real IdP's certificate chains to.
 */
record LaunchPki(Path dir) {

    static final String PASSWORD = "changeit";

    static LaunchPki create(Path dir, List<String> gatewayDnsNames, String idpHost, String dbHost) {
        LaunchPki pki = new LaunchPki(dir);
        pki.ca("internal-ca", "Gatehouse launch internal CA");
        pki.leaf("gateway", "internal-ca", gatewayDnsNames, "serverAuth");
        pki.ca("device-ca", "Gatehouse launch device CA");
        pki.leaf("device", "device-ca", List.of(), "clientAuth");
        pki.ca("db-ca", "Gatehouse launch database CA");
        pki.leaf("db", "db-ca", List.of(dbHost), "serverAuth");
        pki.ca("public-ca", "Gatehouse launch public CA");
        pki.leaf("idp", "public-ca", List.of(idpHost), "serverAuth");
        pki.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "signing.pem");
        pki.openssl("pkcs12", "-export", "-in", "idp.crt", "-inkey", "idp.key", "-out", "idp.p12",
                "-passout", "pass:" + PASSWORD);
        pki.truststore("internal-ca.p12", "internal-ca.crt");
        pki.truststore("public-ca.p12", "public-ca.crt");
        return pki;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    byte[] bytes(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of the certificate's DER encoding, lower-case hex: how the inventory knows a device. */
    String fingerprint(String name) {
        try (var in = Files.newInputStream(file(name))) {
            var cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ca(String name, String cn) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=" + cn,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void leaf(String name, String ca, List<String> dnsNames, String usage) {
        try {
            StringBuilder ext = new StringBuilder("basicConstraints=CA:FALSE\nextendedKeyUsage=" + usage + "\n");
            if (!dnsNames.isEmpty()) {
                ext.append("subjectAltName=").append(String.join(",", dnsNames.stream().map(d -> "DNS:" + d).toList()))
                        .append('\n');
            }
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".ext"), ext);
            // genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), what cert-manager writes with encoding: PKCS8.
            openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name + ".key");
            openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr",
                    "-subj", "/CN=" + (dnsNames.isEmpty() ? name : dnsNames.get(0)));
            openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                    "-CAcreateserial", "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void truststore(String store, String cert) {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Commands.run(dir, dir.resolve("keytool.log"), List.of(keytool, "-importcert", "-noprompt", "-alias", "ca",
                "-file", cert, "-keystore", store, "-storetype", "PKCS12", "-storepass", PASSWORD));
    }

    private void openssl(String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Commands.run(dir, dir.resolve("openssl.log"), command);
    }
}
