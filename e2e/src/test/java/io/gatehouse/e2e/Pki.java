package io.gatehouse.e2e;

import io.gatehouse.testsupport.DevPki;
import java.nio.file.Path;
import java.util.List;

/**
 * The files the packaged gateway and Keycloak read: a test CA, a server certificate for {@code localhost},
 * {@code *.localhost} and {@code app.localhost} (the gateway's hosts in these tests) and the gateway's ES256
 * assertion signing key, all PEM. {@link #create} makes them with the shared {@link DevPki}; {@code WholeStack}
 * points it at the files {@code scripts/lib/pki} made. Keycloak trusts the CA (it calls the back-channel logout
 * endpoint over HTTPS); Chromium accepts the certificate through {@code acceptInsecureCerts}.
 */
record Pki(Path caPem, Path serverPem, Path serverKey, Path signingKey) {

    static Pki create(Path dir) {
        DevPki pki = DevPki.create(dir, "gatehouse-e2e", List.of("localhost", "*.localhost", "app.localhost"));
        return new Pki(pki.caPem(), pki.server().certificatePem(), pki.server().keyPem(),
                pki.writeSigningKeyPem("signing"));
    }
}
