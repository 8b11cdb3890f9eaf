package io.gatehouse.gateway.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.policy.DevicePosture;
import io.gatehouse.policy.Identity;
import io.gatehouse.policy.TrustLevel;
import io.gatehouse.verifier.AssertionRejectedException;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.gatehouse.verifier.RejectionReason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signer against the real verifier library, with keys read from real PEM and PKCS#12 files. */
class AssertionSignerTest {

    private static final String ISSUER = "https://gatehouse.test";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    private static final Identity PAT = new Identity("u-17", "pat@corp.example", List.of("finance"), Map.of(), null);
    private static final DevicePosture LAPTOP = new DevicePosture("dev-42", true, true, TrustLevel.HIGH, true, true,
            "macOS", "15.3", "pat@corp.example", null);

    @TempDir
    Path dir;

    private SigningKeys ring() {
        DevPki pki = DevPki.create(dir);
        ECKey pem = SigningKeyLoader.load("pem-key", pki.writeSigningKeyPem("a"), null, null, null);
        ECKey p12 = SigningKeyLoader.load("p12-key", pki.writeSigningKeyPkcs12("b"), null, DevPki.PASSWORD, null);
        return new SigningKeys(List.of(new SigningKey("pem-key", pem, null, null),
                new SigningKey("p12-key", p12, Instant.parse("2026-11-23T13:00:00Z"), null)), Duration.ofMinutes(2));
    }

    private static GatehouseVerifier verifier(SigningKeys ring, String audience) {
        return GatehouseVerifier.builder(ISSUER, audience).jwks(ring.publishedAt(CLOCK.instant())).clock(CLOCK).build();
    }

    @Test
    void signThenVerifierAcceptsWithIdentityDeviceAndBinding() throws Exception {
        SigningKeys ring = ring();
        AssertionSigner signer = new AssertionSigner(ring, ISSUER, CLOCK, EcSignatureProvider.choose());

        Assertion assertion = signer.sign("payroll", PAT, LAPTOP, "GET", "payroll.corp.example", "/reports/1");
        GatehouseIdentity who = verifier(ring, "payroll").verify(assertion.jwt(), "GET", "payroll.corp.example", "/reports/1");

        assertThat(who.subject()).isEqualTo("u-17");
        assertThat(who.anonymous()).isFalse();
        assertThat(who.email()).isEqualTo("pat@corp.example");
        assertThat(who.groups()).containsExactly("finance");
        assertThat(who.device()).isEqualTo(new GatehouseIdentity.Device("dev-42", "high"));
        assertThat(who.jti()).isEqualTo(assertion.jti());
        assertThat(assertion.kid()).isEqualTo("pem-key");
        assertThat(Duration.between(who.issuedAt(), who.expiresAt())).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void signThenReplayOnAnotherPathIsRejectedByVerifier() {
        SigningKeys ring = ring();
        AssertionSigner signer = new AssertionSigner(ring, ISSUER, CLOCK, EcSignatureProvider.choose());
        Assertion assertion = signer.sign("payroll", PAT, null, "GET", "payroll.corp.example", "/reports/1");

        assertThatThrownBy(() -> verifier(ring, "payroll").verify(assertion.jwt(), "GET", "payroll.corp.example", "/admin"))
                .isInstanceOfSatisfying(AssertionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.PATH_MISMATCH));
    }

    @Test
    void signThenOtherAudienceIsRejectedByVerifier() {
        SigningKeys ring = ring();
        AssertionSigner signer = new AssertionSigner(ring, ISSUER, CLOCK, EcSignatureProvider.choose());
        Assertion assertion = signer.sign("payroll", PAT, null, "GET", "h", "/");

        assertThatThrownBy(() -> verifier(ring, "wiki").verify(assertion.jwt(), "GET", "h", "/"))
                .isInstanceOfSatisfying(AssertionRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.WRONG_AUDIENCE));
    }

    @Test
    void signWhenEmailUnverifiedThenAssertionCarriesNoEmailButSaysItWasUnverified() throws Exception {
        SigningKeys ring = ring();
        AssertionSigner signer = new AssertionSigner(ring, ISSUER, CLOCK, null);
        Identity unverified = new Identity("u-66", "ceo@corp.example", List.of(), Map.of(), null, false);

        Assertion assertion = signer.sign("payroll", unverified, null, "GET", "payroll.corp.example", "/");
        GatehouseIdentity who = verifier(ring, "payroll").verify(assertion.jwt(), "GET", "payroll.corp.example", "/");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(assertion.jwt().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(who.subject()).isEqualTo("u-66");
        assertThat(who.email()).isNull();
        assertThat(payload).contains("\"email_verified\":false").doesNotContain("ceo@corp.example");
    }

    @Test
    void signWhenAnonymousOnPublicRouteThenMarkedAnonymousAndNoDevice() throws Exception {
        SigningKeys ring = ring();
        AssertionSigner signer = new AssertionSigner(ring, ISSUER, CLOCK, null);

        Assertion assertion = signer.sign("wiki", null, null, "POST", "wiki.corp.example", "/edit");
        GatehouseIdentity who = verifier(ring, "wiki").verify(assertion.jwt(), "POST", "wiki.corp.example", "/edit");

        assertThat(who.subject()).isEqualTo(AssertionSigner.ANONYMOUS_SUBJECT);
        assertThat(who.anonymous()).isTrue();
        assertThat(who.device()).isNull();
        assertThat(who.groups()).isEmpty();
    }

    @Test
    void providerWhenAccpOnClasspathOnLinuxX64ThenAccpSigns() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64")
                && System.getProperty("os.name").equals("Linux"));

        java.security.Provider chosen = EcSignatureProvider.choose();
        assertThat(chosen).isNotNull();
        assertThat(chosen.getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }
}
