package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The oauth2-proxy open-redirect corpus (559 lines, test resource {@code openredirect/openredirects.txt}) against
 * the running gateway. Every line goes into each parameter a login flow could be tempted to read ({@code rd},
 * {@code redirect_uri}, {@code return_to}, {@code next}, {@code url}) on the first request, into the callback's query
 * and as its {@code state}. The gateway must send the browser only to the IdP with its own callback on the same host,
 * or answer on the same host. A few lines also go through a full login in Chromium.
 */
@ExtendWith(Stack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenRedirectIT {

    private static final List<String> PARAMETERS = List.of("rd", "redirect_uri", "return_to", "next", "url");
    private List<String> corpus;
    private HttpClient http;

    @BeforeAll
    void load() throws Exception {
        try (InputStream in = OpenRedirectIT.class.getResourceAsStream("/openredirect/openredirects.txt")) {
            corpus = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        http = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void corpusWhenInLoginParametersThenOnlyTheIdpWithThisHostsCallback() throws Exception {
        assertThat(corpus).hasSize(559);
        String keycloakAuth = Stack.get().keycloak.issuer() + "/protocol/openid-connect/auth?";
        List<String> failures = new ArrayList<>();
        for (String line : corpus) {
            String query = query(line);
            HttpResponse<Void> start = send(Stack.PORTAL + "/landing?" + query, null);
            String location = start.headers().firstValue("Location").orElse("");
            if (location.isEmpty()) {
                // Answered on this host (e.g. 400 from the HYGIENE stage for a malformed query): no redirect at all.
                if (start.statusCode() / 100 == 3) {
                    failures.add("start " + line + " -> " + start.statusCode() + " without Location");
                }
                continue;
            }
            if (!location.startsWith(keycloakAuth)
                    || !Stack.PORTAL.concat("/.gatehouse/callback").equals(param(location, "redirect_uri"))) {
                failures.add("start " + line + " -> " + start.statusCode() + " " + location);
                continue;
            }
            String loginCookie = start.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("__Host-gatehouse-login=")).map(c -> c.substring(0, c.indexOf(';')))
                    .findFirst().orElse("");
            String state = param(location, "state");
            // The state named in the IdP request, with the corpus line in every other parameter and a bad code:
            // the code is refused at Keycloak and the answer is a page on this host.
            HttpResponse<Void> callback = send(Stack.PORTAL + "/.gatehouse/callback?code=bogus&state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8) + "&" + query, loginCookie);
            // The corpus line as the state itself.
            HttpResponse<Void> forged = send(Stack.PORTAL + "/.gatehouse/callback?code=bogus&state="
                    + URLEncoder.encode(line, StandardCharsets.UTF_8) + "&" + query, loginCookie);
            for (HttpResponse<Void> r : List.of(callback, forged)) {
                if (r.headers().firstValue("Location").isPresent() || r.statusCode() < 400) {
                    failures.add("callback " + line + " -> " + r.statusCode() + " " + r.headers().firstValue("Location"));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void corpusWhenSignedInThroughChromiumThenLandsOnTheFirstUrlOfThisHost() {
        List<String> sample = List.of(corpus.get(3), corpus.get(14), corpus.get(100), corpus.get(300), corpus.get(558));
        WebDriver browser = Browsers.start();
        try {
            String first = Stack.PORTAL + "/landing?" + query(sample.get(0));
            browser.get(first);
            Browsers.waiting(browser).until(ExpectedConditions.urlContains(Stack.get().keycloak.origin()));
            Browsers.signIn(browser, "pat", "pat-password");
            Browsers.waiting(browser).until(ExpectedConditions.urlToBe(first));
            for (String line : sample.subList(1, sample.size())) {
                // A fresh login on this host each time (the Keycloak session makes it silent).
                browser.manage().deleteCookieNamed("__Host-gatehouse");
                String url = Stack.PORTAL + "/landing?" + query(line);
                browser.get(url);
                Browsers.waiting(browser).until(ExpectedConditions.urlToBe(url));
            }
        } finally {
            browser.quit();
        }
    }

    private static String query(String line) {
        StringBuilder query = new StringBuilder();
        for (String name : PARAMETERS) {
            query.append(query.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(line, StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private HttpResponse<Void> send(String url, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Accept", "text/html,application/xhtml+xml").header("Sec-Fetch-Mode", "navigate")
                .header("Referer", "https://evil.example/");
        if (cookie != null && !cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String param(String url, String name) {
        String query = URI.create(url).getRawQuery();
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            params.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params.getOrDefault(name, "");
    }

    /** The gateway's test certificate is self-made; this client only talks to it on loopback. */
    private static final class TrustAll implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
