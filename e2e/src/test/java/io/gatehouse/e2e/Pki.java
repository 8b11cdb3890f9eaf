package io.gatehouse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Certificates made with openssl, as an operator would: a test CA, a server certificate for {@code localhost} and
 * {@code *.localhost} (the gateway's hosts in these tests), and the gateway's ES256 assertion signing key.
 * Keycloak trusts the CA (it calls the back-channel logout endpoint over HTTPS); Chromium accepts the certificate
 * through {@code acceptInsecureCerts}.
 */
record Pki(Path caPem, Path serverPem, Path serverKey, Path signingKey) {

    static Pki create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("openssl.log");
            Duration t = Duration.ofSeconds(30);
            Map<String, String> env = Map.of();
            Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,DNS:*.localhost,DNS:app.localhost,"
                    + "IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
            Processes.run(dir, log, t, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                    "-subj", "/CN=Gatehouse e2e CA", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"), env);
            Processes.run(dir, log, t, List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"), env);
            Processes.run(dir, log, t, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem",
                    "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
                    "-extfile", "server.ext"), env);
            Processes.run(dir, log, t, List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-out", "signing.pem"), env);
            return new Pki(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
                    dir.resolve("signing.pem"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
