package io.gatehouse.gateway.authn;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tokens that are signed by a trusted issuer but are not what a bearer credential must be (issue 16, items 3 and
 * 5): an OIDC ID token (Keycloak marks it with payload {@code typ: "ID"}; others only by {@code nonce} or
 * {@code at_hash}) is refused with a 401 that says why; a token whose {@code email_verified} is false gets in, but
 * no {@code emails}/{@code domains} rule matches on its email. Over HTTP/1.1 and HTTP/2.
 */
class TokenConfusionIT extends GatewayITSupport {

    private TestIssuer idp;
    private TestIssuer lenient;

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: payroll
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: finance
                          paths: ["/pay/**"]
                          groups: [finance]
                        - name: pat-only
                          paths: ["/mail/**"]
                          emails: [pat@corp.example]
                        - name: employees
                          paths: ["/wiki/**"]
                          domains: [corp.example]
                        - name: kiosk-staff
                          paths: ["/kiosk/**"]
                          domains: [kiosk.example]
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        lenient = TestIssuer.start();
        builder.property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.bearer.issuers[1].issuer-uri", lenient.issuer())
                .property("gatehouse.bearer.issuers[1].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.bearer.issuers[1].email-verified-required", "false");
    }

    @AfterAll
    void stopIssuers() {
        idp.close();
        lenient.close();
    }

    private GatewayClient client(boolean http2) {
        return http2 ? client().http2() : client();
    }

    private GatewayClient.Response get(boolean http2, String path, String token) {
        return client(http2).get(path, Map.of("Authorization", "Bearer " + token, "Accept", "application/json"));
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenKeycloakIdTokenThen401SayingItIsAnIdToken(boolean http2) {
        String idToken = idp.rs256(c -> c.claim("typ", "ID").claim("nonce", "n-1").claim("at_hash", "abc")
                .claim("azp", TestIssuer.AUDIENCE).claim("email_verified", true));

        GatewayClient.Response response = get(http2, "/pay/x", idToken);

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("an ID token is not an access token");
        assertThat(response.body()).contains("bearer-invalid-token").doesNotContain(idToken);
        assertThat(upstream.received()).isEmpty();
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenUntypedTokenCarriesNonceThen401(boolean http2) {
        GatewayClient.Response response = get(http2, "/pay/x", idp.rs256(c -> c.claim("nonce", "n-1")));

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("an ID token is not an access token");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenUntypedTokenCarriesAtHashThen401() {
        GatewayClient.Response response = get(false, "/pay/x", idp.rs256(c -> c.claim("at_hash", "abc")));

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("an ID token is not an access token");
    }

    @Test
    void requestWhenRefreshTokenTypeThen401NamingTheType() {
        GatewayClient.Response response = get(false, "/pay/x", idp.rs256(c -> c.claim("typ", "Refresh")));

        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).contains("typ Refresh is not an accepted token type");
        assertThat(upstream.received()).isEmpty();
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenKeycloakAccessTokenThenUpstreamReached(boolean http2) {
        String access = idp.rs256(c -> c.claim("typ", "Bearer").claim("nonce", "n-1").claim("email_verified", true));

        GatewayClient.Response response = get(http2, "/pay/x", access);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(upstream.received()).hasSize(1);
    }

    @Test
    void requestWhenRfc9068AccessTokenWithNonceThenUpstreamReached() {
        String access = idp.sign(JWSAlgorithm.RS256, idp.rsaKey(), h -> h.type(new JOSEObjectType("at+jwt")),
                c -> c.claim("nonce", "n-1"));

        GatewayClient.Response response = get(false, "/pay/x", access);

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    @ParameterizedTest(name = "http2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenEmailUnverifiedThenEmailsRuleDoesNotMatch(boolean http2) {
        GatewayClient.Response response = get(http2, "/mail/x",
                idp.rs256(c -> c.claim("typ", "Bearer").claim("email_verified", false)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("is not verified by the IdP");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenEmailUnverifiedThenDomainsRuleDoesNotMatch() {
        GatewayClient.Response response = get(false, "/wiki/x",
                idp.rs256(c -> c.claim("typ", "Bearer").claim("email_verified", false)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("is not verified by the IdP");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenEmailUnverifiedAndAllowedByGroupThenUpstreamAssertionHasNoEmail() {
        GatewayClient.Response response = get(false, "/pay/x",
                idp.rs256(c -> c.claim("typ", "Bearer").claim("email_verified", false)));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String assertion = upstream.last().header("X-Gatehouse-Assertion");
        String payload = new String(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"sub\":\"u-17\"").contains("\"email_verified\":false")
                .doesNotContain("pat@corp.example");
    }

    @Test
    void requestWhenEmailVerifiedThenEmailsAndDomainsRulesMatch() {
        String token = idp.rs256(c -> c.claim("typ", "Bearer").claim("email_verified", true));

        assertThat(get(false, "/mail/x", token).status()).isEqualTo(200);
        assertThat(get(false, "/wiki/x", token).status()).isEqualTo(200);
    }

    @Test
    void requestWhenEmailVerifiedClaimAbsentThenByDefaultNotVerified() {
        GatewayClient.Response response = get(false, "/mail/x", idp.rs256(c -> c.claim("email_verified", null)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("is not verified by the IdP");
    }

    @Test
    void requestWhenIssuerNeverSendsEmailVerifiedAndSwitchedOffThenAbsentClaimCounts() {
        assertThat(get(false, "/mail/x", lenient.rs256(c -> c.claim("email_verified", null))).status()).isEqualTo(200);
    }

    @Test
    void requestWhenIssuerSwitchedOffButTokenSaysFalseThenStillNotVerified() {
        GatewayClient.Response response = get(false, "/mail/x", lenient.rs256(c -> c.claim("email_verified", false)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("is not verified by the IdP");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pat@\u212Aiosk.example", "pat@kio\u017Fk.example", "pat@k\u0131osk.example"})
    void requestWhenEmailDomainHasNonAsciiLookalikeThenDomainsRuleDoesNotMatch(String email) {
        GatewayClient.Response response = get(false, "/kiosk/x",
                idp.rs256(c -> c.claim("email_verified", true).claim("email", email)));

        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenEmailDomainDiffersOnlyInAsciiCaseThenDomainsRuleMatches() {
        GatewayClient.Response response = get(false, "/kiosk/x",
                idp.rs256(c -> c.claim("email_verified", true).claim("email", "pat@KIOSK.example")));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
}
