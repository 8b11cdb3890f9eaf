package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, item 1: anonymous navigations cannot grow the gateway's memory. Every navigation without a session starts
 * a login and stores a pre-login session; the store holds at most {@code gatehouse.sessions.max-pre-login-sessions}
 * (evicting, counted), and one pre-login cookie holds at most {@code gatehouse.sessions.max-login-attempts} logins
 * (the oldest goes first: its state is refused at the callback, the newest is still known).
 */
class PreLoginBoundsIT extends GatewayITSupport {

    private static final int CAP = 40;
    private static final int ATTEMPTS = 3;
    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8",
            "Sec-Fetch-Mode", "navigate");
    private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");

    private TestIssuer idp;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.sessions.max-pre-login-sessions", CAP)
                .property("gatehouse.sessions.max-login-attempts", ATTEMPTS);
    }

    @AfterAll
    void stopIdp() {
        idp.close();
    }

    @Test
    void navigationsWhenManyAnonymousThenPreLoginStoreStaysAtItsCapAndCountsEvictions() {
        GatewayClient client = client();
        String path = "/" + "p".repeat(3_000);
        for (int i = 0; i < CAP * 3; i++) {
            GatewayClient.Response response = client.get(path + "?n=" + i, NAVIGATION);
            assertThat(response.status()).as("navigation %d", i).isEqualTo(302);
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = metrics();
            String seen = metrics.lines().filter(l -> l.startsWith("gatehouse_sessions")).toList().toString();
            assertThat(metric(metrics, "gatehouse_sessions_stored", "pre-login")).as(seen).isBetween(1.0, (double) CAP);
            assertThat(metric(metrics, "gatehouse_sessions_evicted_total", "pre-login")).as(seen)
                    .isGreaterThanOrEqualTo(CAP);
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void navigationsWhenSameLoginCookieThenOnlyTheNewestAttemptsRemain(boolean http2) {
        GatewayClient client = http2 ? client().http2() : client();
        GatewayClient.Response first = client.get("/first", NAVIGATION);
        assertThat(first.status()).isEqualTo(302);
        String cookie = loginCookie(first);
        List<String> states = new ArrayList<>(List.of(state(first)));
        for (int i = 1; i <= ATTEMPTS + 1; i++) {
            GatewayClient.Response next = client.get("/again/" + i, withCookie(cookie));
            assertThat(next.status()).isEqualTo(302);
            assertThat(next.header("Set-Cookie")).as("the same pre-login session is used").isNull();
            states.add(state(next));
        }

        // Five attempts in one pre-login session that keeps three: the first two are gone, the last three remain.
        assertThat(callback(client, states.get(0), cookie).body()).contains("Sign-in expired");
        assertThat(callback(client, states.get(1), cookie).body()).contains("Sign-in expired");
        assertThat(callback(client, states.get(states.size() - 1), cookie).body()).contains("Sign-in did not complete");
        assertThat(callback(client, states.get(states.size() - ATTEMPTS), cookie).body()).contains("Sign-in did not complete");
    }

    private static GatewayClient.Response callback(GatewayClient client, String state, String cookie) {
        GatewayClient.Response response = client.get("/.gatehouse/callback?error=access_denied&state=" + state,
                withCookie(cookie));
        assertThat(response.status()).isEqualTo(400);
        return response;
    }

    private static Map<String, String> withCookie(String cookie) {
        Map<String, String> headers = new java.util.HashMap<>(NAVIGATION);
        headers.put("Cookie", cookie);
        return headers;
    }

    private static String loginCookie(GatewayClient.Response response) {
        String setCookie = response.header("Set-Cookie");
        assertThat(setCookie).startsWith(SessionCookies.LOGIN + "=");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String state(GatewayClient.Response response) {
        Matcher m = STATE.matcher(response.header("Location"));
        assertThat(m.find()).as("state in %s", response.header("Location")).isTrue();
        return m.group(1);
    }

    private String metrics() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(String metrics, String name, String store) {
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*store=\"" + store + "\"[^}]*} ([0-9.E+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
