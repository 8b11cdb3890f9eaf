package io.gatehouse.gateway.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser side of the gateway with an IdP that cannot be reached (the journeys against a real IdP are in
 * e2e/): a navigation gets a clear 503 page, never a loop or a stack trace; XHR and API calls get 401; the login
 * endpoints answer on their own terms; the gateway's cookies never reach the upstream.
 */
class BrowserLoginIT extends GatewayITSupport {

    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8",
            "Sec-Fetch-Mode", "navigate");

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
                    from: https://public.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: anyone
                          public: true
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        builder.property("gatehouse.oidc.issuer-uri", "http://127.0.0.1:" + closedPort() + "/realms/down")
                .property("gatehouse.oidc.client-id", "gatehouse")
                .property("gatehouse.oidc.client-secret", "secret");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void navigationWhenIdpDownThen503PageWithoutRedirect() {
        GatewayClient.Response response = client().get("/reports", NAVIGATION);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Location")).isNull();
        assertThat(response.header("Content-Type")).startsWith("text/html");
        assertThat(response.body()).contains("Sign-in is unavailable").contains(response.header("X-Request-Id"))
                .doesNotContain("Exception");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void fetchWhenNoSessionThen401NotARedirect() {
        GatewayClient.Response response = client().get("/api/data", Map.of("Accept", "application/json",
                "Sec-Fetch-Mode", "cors"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("Location")).isNull();
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void navigationWhenUnknownSessionCookieThenTreatedAsNoSession() {
        GatewayClient.Response response = client().get("/api/data", Map.of("Accept", "application/json",
                "Cookie", "__Host-gatehouse=not-a-session"));

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void callbackWhenNoLoginInProgressThen400PageOnThisHost() {
        GatewayClient.Response response = client().get("/.gatehouse/callback?code=c&state=s&rd=https://evil.example",
                NAVIGATION);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).contains("Sign-in expired").doesNotContain("evil.example");
    }

    @Test
    void backchannelLogoutWhenNoLogoutTokenThen400InvalidRequest() {
        GatewayClient.Response response = client().send("POST", "/.gatehouse/backchannel-logout",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "nothing=here");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_request");
    }

    @Test
    void logoutWhenGetThenConfirmPageNotARedirect() {
        GatewayClient.Response response = client().get("/.gatehouse/logout", NAVIGATION);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Location")).isNull();
        assertThat(response.body()).contains("action=\"/.gatehouse/logout\"");
    }

    @Test
    void logoutWhenPostFromThisOriginAndNoSessionThenSignedOutPageOfThisHost() {
        GatewayClient.Response response = client().send("POST", "/.gatehouse/logout",
                Map.of("Origin", "https://localhost", "Sec-Fetch-Site", "same-origin"), "");

        assertThat(response.status()).isEqualTo(303);
        assertThat(response.header("Location")).isEqualTo("https://localhost/.gatehouse/signed-out");
    }

    @Test
    void forwardWhenGatewayCookiesSentThenUpstreamSeesOnlyTheOthers() {
        GatewayClient.Response response = client().get("/x", Map.of("Host", "public.localhost",
                "Cookie", "app=1; __Host-gatehouse=secret-session; __Host-gatehouse-login=secret-login"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(upstream.last().header("Cookie")).isEqualTo("app=1");
    }
}
