package io.gatehouse.gateway.decisionservice;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.testsupport.DevPki;
import java.nio.file.Path;
import java.util.Arrays;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/**
 * {@link SwappableKeyManager}: a handshake reads the certificate and the key of the generation it chose its alias
 * from, even when a swap happens in between, so no connection is handed a certificate with another pair's key.
 */
class SwappableKeyManagerTest {

    @TempDir
    Path dir;

    private DevPki pki;

    @BeforeEach
    void pki() {
        pki = DevPki.create(dir.resolve("pki"));
    }

    private static X509ExtendedKeyManager keys(DevPki.Issued issued) {
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificate(
                issued.certificatePem().toString()).withPrivateKey(issued.keyPem().toString()), null));
        return (X509ExtendedKeyManager) Arrays.stream(bundle.getManagers().getKeyManagerFactory().getKeyManagers())
                .filter(X509ExtendedKeyManager.class::isInstance).findFirst().orElseThrow();
    }

    @Test
    void keysWhenSwappedThenNewAliasesServeTheNewPair() {
        DevPki.Issued renewed = pki.issueServer("renewed");
        SwappableKeyManager keys = new SwappableKeyManager(keys(pki.server()));

        keys.swap(keys(renewed));

        String alias = keys.chooseEngineServerAlias("EC", null, null);
        assertThat(keys.getCertificateChain(alias)[0]).isEqualTo(renewed.certificate());
        assertThat(keys.getPrivateKey(alias)).isEqualTo(renewed.key());
    }

    @Test
    void keysWhenSwappedBetweenChoosingAndReadingThenTheChosenGenerationsPairIsServed() {
        DevPki.Issued renewed = pki.issueServer("renewed");
        SwappableKeyManager keys = new SwappableKeyManager(keys(pki.server()));
        String alias = keys.chooseEngineServerAlias("EC", null, null);

        keys.swap(keys(renewed));

        assertThat(keys.getCertificateChain(alias)[0]).isEqualTo(pki.server().certificate());
        assertThat(keys.getPrivateKey(alias)).isEqualTo(pki.server().key());
    }

    @Test
    void keysWhenAliasIsTwoGenerationsOldOrForeignThenNothingIsServed() {
        SwappableKeyManager keys = new SwappableKeyManager(keys(pki.server()));
        String alias = keys.chooseEngineServerAlias("EC", null, null);

        keys.swap(keys(pki.issueServer("second")));
        keys.swap(keys(pki.issueServer("third")));

        assertThat(keys.getCertificateChain(alias)).isNull();
        assertThat(keys.getPrivateKey(alias)).isNull();
        assertThat(keys.getPrivateKey("ssl")).isNull();
        assertThat(keys.getPrivateKey("x:ssl")).isNull();
    }
}
