package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.KeySourceException;
import io.gatehouse.gateway.login.OidcClient;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, "Catch only what you mean": which errors of a bearer issuer or of the login IdP count as the IdP failing
 * (503 "unavailable" / a session kept / a sign-in page saying so) and which are bugs (500, counted); the I/O cases
 * are also seen end to end in IssuerDownIT and BrowserLoginIT.
 */
class IssuerFailureTest {

    @Test
    void issuerFailureWhenIoTimeoutOrKeysThenYes() {
        assertThat(BearerAuthenticator.issuerFailure(new ConnectException("refused"))).isTrue();
        assertThat(BearerAuthenticator.issuerFailure(new TimeoutException())).isTrue();
        assertThat(BearerAuthenticator.issuerFailure(new IllegalStateException("wrapped",
                new KeySourceException("jwks fetch failed", new IOException("reset"))))).isTrue();
        assertThat(BearerAuthenticator.issuerFailure(new IssuerVerifier.DiscoveryException("no jwks_uri")))
                .isTrue();
    }

    @Test
    void issuerFailureWhenBugThenNo() {
        assertThat(BearerAuthenticator.issuerFailure(new NullPointerException())).isFalse();
        assertThat(BearerAuthenticator.issuerFailure(new IllegalStateException("a bug"))).isFalse();
        assertThat(BearerAuthenticator.issuerFailure(new BearerAuthenticationException("bad token"))).isFalse();
    }

    @Test
    void idpFailureWhenIoOrBadAnswerThenYesWhenBugThenNo() {
        assertThat(OidcClient.isIdpFailure(new ConnectException("refused"))).isTrue();
        assertThat(OidcClient.isIdpFailure(new com.nimbusds.oauth2.sdk.ParseException("not JSON"))).isTrue();
        assertThat(OidcClient.isIdpFailure(new com.nimbusds.jwt.proc.BadJWTException("bad"))).isTrue();
        assertThat(OidcClient.isIdpFailure(new NullPointerException())).isFalse();
        assertThat(OidcClient.isIdpFailure(new IllegalArgumentException("a bug"))).isFalse();
    }
}
