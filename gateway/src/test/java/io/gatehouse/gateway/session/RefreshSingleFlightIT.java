package io.gatehouse.gateway.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 2: concurrent requests of one session inside the refresh window run ONE refresh grant, all of them
 * succeed, and an IdP that rotates refresh tokens (the old one refused once used) never ends the session because two
 * requests raced. The IdP holds its refresh answers for a moment, so the requests surely overlap.
 */
class RefreshSingleFlightIT extends GatewayITSupport {

    private static final int CONCURRENT = 8;
    private static final Map<String, String> NAVIGATION = Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate");
    private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");
    private static final Pattern NONCE = Pattern.compile("[?&]nonce=([^&]+)");

    private TestIssuer idp;
    private final ExecutorService browsers = Executors.newFixedThreadPool(CONCURRENT);

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
        // Signed in with a 10 s access token and a 60 s refresh skew: the first request refreshes; the refreshed
        // token lives an hour, so one refresh is all a session needs.
        idp = TestIssuer.start().client(TestIssuer.AUDIENCE, "secret").accessLifetimes(10, 3600);
        builder.property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.oidc.refresh-skew", "60s");
    }

    @AfterAll
    void stopIdp() {
        browsers.shutdownNow();
        idp.close();
    }

    @Test
    void requestsWhenConcurrentInsideTheRefreshWindowThenOneRefreshGrantAndAllServed() throws Exception {
        idp.rotateRefreshTokens(false);
        assertOneRefreshForConcurrentRequests();
    }

    @Test
    void requestsWhenConcurrentAndTheIdpRotatesRefreshTokensThenTheSessionSurvives() throws Exception {
        idp.rotateRefreshTokens(true);
        String cookie = assertOneRefreshForConcurrentRequests();
        GatewayClient.Response later = client().get("/after", Map.of("Accept", "application/json", "Cookie", cookie));
        assertThat(later.status()).as("the session is still signed in").isEqualTo(200);
    }

    /** Signs in, then sends {@value #CONCURRENT} requests at once with the cookie; emits the cookie. */
    private String assertOneRefreshForConcurrentRequests() throws Exception {
        GatewayClient client = client();
        String cookie = signIn(client, idp);
        int before = idp.refreshGrants();
        List<CompletableFuture<GatewayClient.Response>> responses = new ArrayList<>();
        try (AutoCloseable held = idp.holdRefreshes()) {
            for (int i = 0; i < CONCURRENT; i++) {
                String path = "/api/" + i;
                responses.add(CompletableFuture.supplyAsync(() -> client.get(path,
                        Map.of("Accept", "application/json", "Cookie", cookie)), browsers));
            }
            Awaitility.await("the first refresh reaches the IdP").atMost(Duration.ofSeconds(10))
                    .until(() -> idp.refreshGrants() > before);
            // While the IdP holds it, no other request of this session may start a second grant.
            Awaitility.await("no second refresh grant while the first is in flight")
                    .during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
                    .until(() -> idp.refreshGrants() == before + 1);
        }
        for (CompletableFuture<GatewayClient.Response> response : responses) {
            GatewayClient.Response r = response.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        assertThat(idp.refreshGrants()).isEqualTo(before + 1);
        return cookie;
    }

    static String signIn(GatewayClient client, TestIssuer idp) {
        GatewayClient.Response start = client.get("/page", NAVIGATION);
        assertThat(start.status()).isEqualTo(302);
        String location = start.header("Location");
        String loginCookie = cookie(start.header("Set-Cookie"));
        String state = group(STATE, location);
        String nonce = URLDecoder.decode(group(NONCE, location), StandardCharsets.UTF_8);
        GatewayClient.Response callback = client.get("/.gatehouse/callback?code=" + idp.authorize(nonce)
                + "&state=" + state, Map.of("Accept", "text/html", "Sec-Fetch-Mode", "navigate", "Cookie", loginCookie));
        assertThat(callback.status()).as(callback.body()).isEqualTo(302);
        List<String> setCookies = callback.headers().getOrDefault("set-cookie", List.of());
        return setCookies.stream().filter(c -> c.startsWith(SessionCookies.SESSION + "=")).findFirst()
                .map(RefreshSingleFlightIT::cookie).orElseThrow(() -> new AssertionError("no session cookie: " + setCookies));
    }

    static String cookie(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }
}
