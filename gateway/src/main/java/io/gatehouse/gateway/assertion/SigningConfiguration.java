package io.gatehouse.gateway.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Builds the key ring and the signer from {@code gatehouse.signing.*} and {@code gatehouse.issuer}. Keys come from
 * configuration so that every replica signs with, and publishes, the same keys. A generated key exists only with the
 * {@code dev} profile or {@code gatehouse.signing.generate-dev-key=true}, and the log says so at ERROR level: with
 * it, each replica has its own key and every restart invalidates assertions in flight.
 */
@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SigningConfiguration.class);

    @Bean
    SigningKeys signingKeys(SigningProperties properties, Environment environment, Clock clock) {
        List<SigningKey> keys = new ArrayList<>();
        for (int i = 0; i < properties.getKeys().size(); i++) {
            SigningProperties.Key k = properties.getKeys().get(i);
            if (k.getKid() == null || k.getKid().isBlank() || k.getPath() == null) {
                throw new IllegalStateException("gatehouse.signing.keys[" + i + "] needs kid and path");
            }
            ECKey key = SigningKeyLoader.load(k.getKid(), k.getPath(), k.getFormat(), k.getPassword(), k.getAlias());
            keys.add(new SigningKey(k.getKid(), key, k.getNotBefore(), k.getRetireAfter()));
        }
        boolean devKeyAllowed = properties.isGenerateDevKey() || environment.acceptsProfiles(Profiles.of("dev"));
        if (keys.isEmpty()) {
            if (!devKeyAllowed) {
                throw new IllegalStateException("gatehouse.signing.keys is empty: configure the assertion signing keys"
                        + " (PEM or PKCS#12), or for development only set gatehouse.signing.generate-dev-key=true");
            }
            keys.add(generateDevKey());
        }
        SigningKeys ring = new SigningKeys(keys, properties.getAssertionTtl());
        Instant now = clock.instant();
        String signing = ring.signingAt(now).map(SigningKey::kid).orElse("NONE");
        log.info("assertion keys: {} published {}, signing with {}, assertion ttl {}", keys.size(),
                ring.publishedAt(now).getKeys().stream().map(j -> j.getKeyID()).toList(), signing,
                properties.getAssertionTtl());
        if (ring.signingAt(now).isEmpty()) {
            throw new IllegalStateException("no configured assertion key may sign now (" + now
                    + "): every key is retired or not yet valid");
        }
        return ring;
    }

    @Bean
    AssertionSigner assertionSigner(SigningKeys keys, @Value("${gatehouse.issuer:}") String issuer, Clock clock) {
        if (issuer.isBlank()) {
            throw new IllegalStateException("gatehouse.issuer is not set: it is the iss of every assertion and what"
                    + " backends check (e.g. https://gatehouse.corp.example)");
        }
        return new AssertionSigner(keys, issuer, clock, EcSignatureProvider.choose());
    }

    private static SigningKey generateDevKey() {
        try {
            String kid = "dev-" + Long.toHexString(System.currentTimeMillis());
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256).generate();
            log.error("\n*****************************************************************************\n"
                    + "* GENERATED ASSERTION SIGNING KEY {} - DEVELOPMENT ONLY.\n"
                    + "* It lives in this process's memory: other replicas cannot share it and a restart\n"
                    + "* invalidates every assertion in flight. Configure gatehouse.signing.keys instead.\n"
                    + "*****************************************************************************", kid);
            return new SigningKey(kid, key, null, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a development signing key", e);
        }
    }
}
