package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Defaults and startup checks of {@code gatehouse.bearer.*}. */
class BearerPropertiesTest {

    private static BearerProperties.Issuer issuer(List<String> tokenTypes, Boolean emailVerifiedRequired) {
        return new BearerProperties.Issuer("https://idp.example", List.of("api"), null, null, tokenTypes,
                emailVerifiedRequired);
    }

    @Test
    void issuerWhenNothingSetThenAccessTokenTypesAndVerifiedEmailRequired() {
        BearerProperties.Issuer issuer = issuer(null, null);

        assertThat(issuer.tokenTypes()).containsExactly("Bearer", "at+jwt", "untyped");
        assertThat(issuer.emailVerifiedRequired()).isTrue();
    }

    @Test
    void issuerWhenIdListedAsTokenTypeThenStartupFailsSayingWhy() {
        assertThatIllegalArgumentException().isThrownBy(() -> issuer(List.of("Bearer", "id"), null))
                .withMessageContaining("token-types").withMessageContaining("an ID token is never a bearer credential");
    }

    @Test
    void propertiesWhenNothingSetThenJwksDefaults() {
        BearerProperties properties = new BearerProperties(null, null, null, null, null);

        assertThat(properties.jwksRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.jwksOutageTolerance()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void propertiesWhenRefreshIntervalBelowOneSecondThenStartupFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BearerProperties(null, null, null, Duration.ofMillis(100), null))
                .withMessageContaining("gatehouse.bearer.jwks-refresh-interval");
    }

    @Test
    void propertiesWhenOutageToleranceNegativeThenStartupFails() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new BearerProperties(null, null, null, null, Duration.ofSeconds(-1)))
                .withMessageContaining("gatehouse.bearer.jwks-outage-tolerance");
    }
}
