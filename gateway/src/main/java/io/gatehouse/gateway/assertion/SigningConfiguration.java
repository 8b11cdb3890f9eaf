package io.gatehouse.gateway.assertion;

import io.gatehouse.gateway.settings.KeyWatchProperties;
import io.gatehouse.gateway.settings.GatehouseProperties;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.gatehouse.gateway.tls.KeyFileWatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Builds the key ring and the signer from {@code gatehouse.signing.*} and {@code gatehouse.issuer}. Keys come from
 * configuration so that every replica signs with, and publishes, the same keys. A generated key exists only with the
 * {@code dev} profile or {@code gatehouse.signing.generate-dev-key=true}, and the log says so at ERROR level: with
 * it, each replica has its own key and every restart invalidates assertions in flight.
 *
 * <p>The key files are watched ({@code gatehouse.key-watch.poll-interval}) and re-read when they change, so a
 * Secret rotated by External Secrets takes effect without a restart ({@link LiveSigningKeys}).
 */
@Configuration(proxyBeanMethods = false)
class SigningConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SigningConfiguration.class);

    @Bean
    LiveSigningKeys signingKeys(SigningProperties properties, Environment environment, Clock clock, MeterRegistry meters,
                                KeyWatchProperties keyWatch) {
        List<SigningProperties.Key> configured = List.copyOf(properties.getKeys());
        for (int i = 0; i < configured.size(); i++) {
            SigningProperties.Key k = configured.get(i);
            if (k.getPath() == null || (k.getKid() != null && k.getKid().isBlank())) {
                throw new IllegalStateException("gatehouse.signing.keys[" + i + "] needs a path (and a kid, when set,"
                        + " that is not blank)");
            }
        }
        AtomicReference<LiveSigningKeys> self = new AtomicReference<>();
        // Before the first read: a change between the two is seen at the next look.
        KeyFileWatch watch = configured.isEmpty() ? null : new KeyFileWatch("assertion signing keys",
                configured.stream().map(SigningProperties.Key::getPath).toList(), () -> self.get().reload());
        Supplier<List<SigningKey>> loader = () -> configured.stream().map(SigningConfiguration::load).toList();
        List<SigningKey> keys = new ArrayList<>(loader.get());
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
        LiveSigningKeys live = new LiveSigningKeys(ring, loader, properties.getPublishAhead(), clock, meters, watch,
                keyWatch.pollInterval());
        self.set(live);
        return live;
    }

    /** One configured key; without a kid, the kid is the key's RFC 7638 thumbprint, so a new key is a new kid. */
    private static SigningKey load(SigningProperties.Key k) {
        String kid = k.getKid() != null ? k.getKid() : "(derived)";
        ECKey key = SigningKeyLoader.load(kid, k.getPath(), k.getFormat(), k.getPassword(), k.getAlias());
        if (k.getKid() == null) {
            try {
                kid = key.computeThumbprint().toString();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot compute the thumbprint of " + k.getPath(), e);
            }
            key = new ECKey.Builder(key).keyID(kid).build();
        }
        return new SigningKey(kid, key, k.getNotBefore(), k.getRetireAfter());
    }

    @Bean
    AssertionSigner assertionSigner(LiveSigningKeys keys, GatehouseProperties gatehouse, Clock clock,
                                    MeterRegistry meters) {
        String issuer = gatehouse.issuer();
        if (issuer == null) {
            throw new IllegalStateException("gatehouse.issuer is not set: it is the iss of every assertion and what"
                    + " backends check (e.g. https://gatehouse.corp.example)");
        }
        Timer signing = Timer.builder("gatehouse.assertion.signing")
                .description("ES256 signing of one assertion (buckets: management.metrics.distribution.slo)")
                .register(meters);
        return new AssertionSigner(keys, issuer, clock, EcSignatureProvider.choose(), signing);
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
