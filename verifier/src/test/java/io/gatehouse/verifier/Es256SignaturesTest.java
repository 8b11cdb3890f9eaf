package io.gatehouse.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.nimbusds.jose.jwk.ECKey;
import java.security.Provider;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class Es256SignaturesTest {
    static final ECKey KEY = TestTokens.newKey("k1");

    @Test
    void preferNativeWhenAccpOnClassPathThenUsesIt() {
        // ACCP is an optional dependency of this module, so it is on the test class path (linux-x86_64).
        assertThat(verifier(Objects.requireNonNull(Es256Signatures.nativeProvider())).signatureProvider())
                .isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(GatehouseVerifier.builder(TestTokens.ISSUER, TestTokens.AUDIENCE).jwks(TestTokens.publicSet(KEY)).build()
                .signatureProvider()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void verifyWhenJdkProviderThenSameAnswersAsNative() throws Exception {
        for (GatehouseVerifier v : new GatehouseVerifier[] {verifier(null), verifier(Es256Signatures.nativeProvider())}) {
            assertThat(v.verify(TestTokens.sign(KEY, TestTokens.claims()), "GET", TestTokens.HOST, "/salaries").subject())
                    .isEqualTo("u-17");
            String forged = TestTokens.sign(TestTokens.newKey("k1"), TestTokens.claims());
            assertThatExceptionOfType(AssertionRejectedException.class)
                    .isThrownBy(() -> v.verify(forged, "GET", TestTokens.HOST, "/salaries"))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE));
        }
        assertThat(verifier(null).signatureProvider()).isEqualTo("SunEC");
    }

    private static GatehouseVerifier verifier(Provider provider) {
        return GatehouseVerifier.builder(TestTokens.ISSUER, TestTokens.AUDIENCE).jwks(TestTokens.publicSet(KEY))
                .clock(TestTokens.CLOCK).signatureProvider(provider).build();
    }
}
