package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.EchoUpstream;
import io.gatehouse.gateway.testing.RunningGateway;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing keys as configured at startup: rotation windows, PKCS#12, and the development-only generated key. */
class SigningStartupIT {

    @TempDir
    Path dir;

    private static String publicRoute(EchoUpstream upstream) {
        return """
                routes:
                  - id: echo
                    from: https://localhost
                    to: %s
                    policy:
                      allow: [{name: anyone, public: true}]
                """.formatted(upstream.uri());
    }

    @Test
    void rotationWhenNextKeyConfiguredWithFutureNotBeforeThenPublishedButCurrentKeySigns() throws Exception {
        DevPki pki = DevPki.create(dir.resolve("pki"));
        Path next = pki.writeSigningKeyPkcs12("next");
        try (EchoUpstream upstream = EchoUpstream.start();
             RunningGateway gateway = RunningGateway.builder(dir).pki(pki).config(publicRoute(upstream))
                     .property("gatehouse.signing.keys[0].retire-after", Instant.now().plus(2, ChronoUnit.HOURS))
                     .property("gatehouse.signing.keys[1].kid", "k2")
                     .property("gatehouse.signing.keys[1].path", next)
                     .property("gatehouse.signing.keys[1].password", DevPki.PASSWORD)
                     .property("gatehouse.signing.keys[1].not-before", Instant.now().plus(1, ChronoUnit.HOURS))
                     .start()) {
            JWKSet jwks = JWKSet.parse(gateway.client().get("/.well-known/gatehouse/jwks.json").body());
            gateway.client().get("/x");

            assertThat(jwks.getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder("k1", "k2");
            assertThat(JWSObject.parse(upstream.last().header("X-Gatehouse-Assertion")).getHeader().getKeyID()).isEqualTo("k1");
        }
    }

    @Test
    void keysWhenNoneConfiguredAndNotDevThenStartupFails() {
        try (EchoUpstream upstream = EchoUpstream.start()) {
            assertThatThrownBy(() -> RunningGateway.builder(dir).config(publicRoute(upstream))
                    .property("gatehouse.signing.keys[0].kid", null).property("gatehouse.signing.keys[0].path", null).start())
                    .hasStackTraceContaining("gatehouse.signing.keys is empty");
        }
    }

    @Test
    void keysWhenDevKeyAllowedAndNoneConfiguredThenGeneratedKeyPublishedAndUsed() throws Exception {
        try (EchoUpstream upstream = EchoUpstream.start();
             RunningGateway gateway = RunningGateway.builder(dir).config(publicRoute(upstream))
                     .property("gatehouse.signing.keys[0].kid", null)
                     .property("gatehouse.signing.keys[0].path", null)
                     .property("gatehouse.signing.generate-dev-key", true)
                     .start()) {
            JWKSet jwks = JWKSet.parse(gateway.client().get("/.well-known/gatehouse/jwks.json").body());
            gateway.client().get("/y");

            assertThat(jwks.getKeys()).singleElement().satisfies(k -> assertThat(k.getKeyID()).startsWith("dev-"));
            assertThat(JWSObject.parse(upstream.last().header("X-Gatehouse-Assertion")).getHeader().getKeyID())
                    .isEqualTo(jwks.getKeys().get(0).getKeyID());
        }
    }
}
