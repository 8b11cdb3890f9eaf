package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, item 11: logout is not a cross-site GET. A GET of {@code /.gatehouse/logout} only shows a page whose
 * form POSTs; a POST ends the session only when the browser says it comes from this origin ({@code Sec-Fetch-Site},
 * {@code Origin}), else 403. The login endpoints answer only on hosts that serve a route (no redirect to a Host
 * that serves nothing), and a back-channel logout token is accepted once.
 */
class LogoutIT extends GatewayITSupport {

    private static final String LOGOUT = "/.gatehouse/logout";
    private TestIssuer idp;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                  - id: open
                    from: https://public.localhost/docs
                    to: %1$s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret");
    }

    @AfterAll
    void stopIdp() {
        idp.close();
    }

    private GatewayClient client(boolean http2) {
        return http2 ? client().http2() : client();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void logoutWhenGetThenConfirmPageWhoseFormPostsAndNothingEnds(boolean http2) {
        GatewayClient.Response response = client(http2).get(LOGOUT, Map.of("Accept", "text/html",
                "Cookie", "__Host-gatehouse=some-session", "Sec-Fetch-Site", "cross-site"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Location")).isNull();
        assertThat(response.header("Set-Cookie")).isNull();
        assertThat(response.body()).contains("<form method=\"post\" action=\"/.gatehouse/logout\">");
    }

    static Stream<Arguments> crossSite() {
        return Stream.of(false, true).flatMap(http2 -> Stream.of(
                Arguments.of(http2, Map.of("Origin", "https://evil.example")),
                Arguments.of(http2, Map.of("Origin", "null")),
                Arguments.of(http2, Map.of("Origin", "https://public.localhost", "Sec-Fetch-Site", "same-site")),
                Arguments.of(http2, Map.of("Sec-Fetch-Site", "cross-site")),
                Arguments.of(http2, Map.of("Origin", "https://localhost", "Sec-Fetch-Site", "cross-site")),
                Arguments.of(http2, Map.of("Origin", "http://localhost")),
                Arguments.of(http2, Map.of())));
    }

    @ParameterizedTest
    @MethodSource("crossSite")
    void logoutWhenPostNotFromThisOriginThen403AndSessionKept(boolean http2, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Cookie", "__Host-gatehouse=some-session");
        all.put("Content-Type", "application/x-www-form-urlencoded");

        GatewayClient.Response response = client(http2).send("POST", LOGOUT, all, "");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("Location")).isNull();
        assertThat(response.header("Set-Cookie")).isNull();
        assertThat(response.body()).contains("Sign-out refused");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void logoutWhenPostFromThisOriginThenCookieClearedAndSignedOutPage(boolean http2) {
        GatewayClient.Response response = client(http2).send("POST", LOGOUT, Map.of("Origin", "https://localhost",
                "Sec-Fetch-Site", "same-origin", "Cookie", "__Host-gatehouse=unknown-session",
                "Content-Type", "application/x-www-form-urlencoded"), "");

        assertThat(response.status()).isEqualTo(303);
        assertThat(response.header("Location")).isEqualTo("https://localhost/.gatehouse/signed-out");
        assertThat(response.header("Set-Cookie")).startsWith("__Host-gatehouse=;").contains("Max-Age=0");
    }

    static Stream<Arguments> unroutedHosts() {
        return Stream.of(false, true).flatMap(http2 -> Stream.of("nowhere.example", "localhost:8443", "public.localhost")
                .flatMap(host -> Stream.of(
                        Arguments.of(http2, host, "GET", LOGOUT),
                        Arguments.of(http2, host, "POST", LOGOUT),
                        Arguments.of(http2, host, "GET", "/.gatehouse/signed-out"),
                        Arguments.of(http2, host, "GET", "/.gatehouse/callback?code=c&state=s"))));
    }

    @ParameterizedTest
    @MethodSource("unroutedHosts")
    void loginEndpointWhenHostServesNoRouteThen404NeverARedirect(boolean http2, String host, String method, String path) {
        // public.localhost serves only /docs: a prefix route serves its host, so it is not "no route".
        String origin = "https://" + host;
        GatewayClient.Response response = client(http2).send(method, path, Map.of("Host", host, "Origin", origin,
                "Sec-Fetch-Site", "same-origin", "Accept", "text/html"), method.equals("POST") ? "" : null);

        if (host.equals("public.localhost")) {
            assertThat(response.status()).isNotEqualTo(404);
            return;
        }
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).doesNotContain(host);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backchannelLogoutWhenSameTokenSentAgainThenRefused(boolean http2) {
        String token = idp.sign(JWSAlgorithm.RS256, idp.rsaKey(), header -> header.type(new JOSEObjectType("logout+jwt")),
                claims -> claims.claim("sid", "idp-session-" + http2)
                        .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
                        .claim("email", null).claim("groups", null).claim("auth_time", null));
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        String body = "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);

        GatewayClient.Response first = client(http2).send("POST", "/.gatehouse/backchannel-logout", form, body);
        GatewayClient.Response replay = client(http2).send("POST", "/.gatehouse/backchannel-logout", form, body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.json().path("error").asText()).isEqualTo("invalid_request");
    }
}
