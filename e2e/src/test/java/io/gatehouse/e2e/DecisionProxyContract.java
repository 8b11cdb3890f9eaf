package io.gatehouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DecisionLogSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a real proxy in front of hello-app with Gatehouse as its decision service must show (issue 20), whatever the
 * proxy: allowed with an assertion hello-app verifies, denied with the reasons and the request id, a device
 * certificate verified by the proxy and used by a device rule, a browser sent to the IdP and signed in through the
 * proxy, request facts from an untrusted peer refused, one decision-log line per request. HTTP/1.1 and HTTP/2
 * towards the proxy. {@link NginxAuthRequestIT} and {@link CaddyForwardAuthIT} start the proxy with the shipped
 * configuration.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DecisionProxyContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    protected ProxiedStack stack;
    protected ProxyProcess proxy;

    @BeforeAll
    void start() {
        stack = ProxiedStack.start(name());
        proxy = startProxy(stack);
    }

    /** The proxy's name, for directories and user agents. */
    abstract String name();

    /** The Gatehouse dialect the proxy speaks, as the decision log's {@code via.dialect} names it. */
    abstract String dialect();

    /** The decision endpoint on Gatehouse's decision listener. */
    abstract String authzPath();

    /** Starts the proxy with its shipped configuration, listening on {@code stack.proxyPort}. */
    abstract ProxyProcess startProxy(ProxiedStack stack);

    @AfterAll
    void stop() {
        try (var s = stack; var p = proxy) {
            // the proxy first, then the stack
        }
    }

    private HttpCall call(String path, boolean h2, String agent) {
        return HttpCall.to(stack.pki.caPem(), stack.origin() + path).resolve(ProxiedStack.HOST, stack.proxyPort)
                .http2(h2).header("User-Agent", agent);
    }

    private String agent(String test) {
        return "gatehouse-e2e/" + name() + "/" + test + "/" + UUID.randomUUID();
    }

    /** The decision-log lines of requests sent with {@code agent}, once at least one is there (bounded wait). */
    private List<JsonNode> linesOf(String agent) {
        Awaitility.await("the decision-log line of " + agent).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> stack.gatewayLog().contains(agent));
        return stack.gatewayLog().lines().filter(l -> l.startsWith("{") && l.contains(agent)).map(l -> {
            DecisionLogSchema.assertValid(l);
            try {
                return JSON.readTree(l);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @ParameterizedTest(name = "h2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenEmployeeWithTokenThenAllowedAndHelloAppVerifiesTheAssertion(boolean h2) {
        String agent = agent("allow");

        HttpCall.Response r = call("/whoami.json", h2, agent).bearer(stack.token())
                .header("Accept", "application/json").header("X-Gatehouse-Assertion", "forged-by-the-client").get();

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"email\":\"pat@corp.example\"", "\"issuer\":\"" + ProxiedStack.ISSUER + "\"",
                "\"audience\":\"hello\"");
        List<JsonNode> lines = linesOf(agent);
        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.at("/result/status").asInt()).isEqualTo(200);
            assertThat(line.at("/what/path").asText()).isEqualTo("/whoami.json");
            assertThat(line.at("/via/dialect").asText()).isEqualTo(dialect());
            assertThat(line.at("/who/email").asText()).isEqualTo("pat@corp.example");
        });
    }

    @ParameterizedTest(name = "h2={0}")
    @ValueSource(booleans = {false, true})
    void requestWhenNoRuleAllowsThenDeniedWithReasonsAndRequestId(boolean h2) {
        String agent = agent("deny");
        String outsider = stack.issuer.rs256(c -> c.subject("u-eve").claim("email", "eve@elsewhere.example"));

        HttpCall.Response r = call("/whoami.json", h2, agent).bearer(outsider).header("Accept", "application/json")
                .get();

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        String requestId = r.header("X-Gatehouse-Request-Id");
        assertThat(requestId).isNotBlank();
        assertThat(r.body()).contains(requestId, "no allow rule matched");
        assertThat(linesOf(agent)).singleElement().satisfies(line -> {
            assertThat(line.at("/request_id").asText()).isEqualTo(requestId);
            assertThat(line.at("/result/status").asInt()).isEqualTo(403);
            assertThat(line.at("/why/decision").asText()).isEqualTo("deny");
        });
    }

    @ParameterizedTest(name = "h2={0}")
    @ValueSource(booleans = {false, true})
    void deviceWhenTheProxyVerifiedTheCertificateThenTheDeviceRuleAllows(boolean h2) {
        String agent = agent("device");

        HttpCall.Response r = call("/reports/q1", h2, agent).bearer(stack.token("finance"))
                .cert(stack.device.certificatePem(), stack.device.keyPem()).header("Accept", "application/json").get();

        // hello-app has no /reports page: its 404 (not Gatehouse's 403) proves the request was allowed through.
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(linesOf(agent)).singleElement().satisfies(line -> {
            assertThat(line.at("/why/decision").asText()).isEqualTo("allow");
            assertThat(line.at("/why/rule").asText()).isEqualTo("finance-on-known-devices");
            assertThat(line.at("/where/device_id").asText()).isEqualTo(ProxiedStack.DEVICE);
        });
    }

    @Test
    void deviceWhenNonePresentedOrUnknownThenDeniedByTheDeviceRule() {
        String without = agent("no-device");
        HttpCall.Response none = call("/reports/q1", true, without).bearer(stack.token("finance")).get();
        String unknown = agent("unknown-device");
        HttpCall.Response stranger = call("/reports/q1", true, unknown).bearer(stack.token("finance"))
                .cert(stack.unknownDevice.certificatePem(), stack.unknownDevice.keyPem()).get();

        assertThat(none.status()).isEqualTo(403);
        assertThat(none.body()).contains("no device presented");
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.body()).doesNotContain("no device presented");
        assertThat(linesOf(unknown)).singleElement().satisfies(line ->
                assertThat(line.at("/where/device_id").isNull() || line.at("/where/device_id").isMissingNode()
                        || !line.at("/where/device_id").asText().equals(ProxiedStack.DEVICE)).isTrue());
    }

    /** A device certificate is public: anyone may have a copy, only the device has its key. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Forwarded-Client-Cert", "X-Forwarded-Tls-Client-Cert"})
    void deviceWhenTheClientSendsSomeonesCertificateAsAHeaderThenItIsNotTheDevice(String header) throws Exception {
        String pem = java.nio.file.Files.readString(stack.device.certificatePem());
        String value = header.equals("X-Forwarded-Client-Cert")
                ? java.net.URLEncoder.encode(pem, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                : java.util.Base64.getEncoder().encodeToString(stack.device.certificate().getEncoded());
        String agent = agent("copied-certificate");

        HttpCall.Response r = call("/reports/q1", true, agent).bearer(stack.token("finance")).header(header, value)
                .get();

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(linesOf(agent)).singleElement().satisfies(line -> {
            assertThat(line.at("/why/decision").asText()).isEqualTo("deny");
            assertThat(line.at("/where/device_id").asText()).isNotEqualTo(ProxiedStack.DEVICE);
        });
    }

    @Test
    void factsWhenTheClientSendsItsOwnThenTheProxyReplacesThem() {
        // The client asks for /reports/q1 (device rule) but claims /whoami.json (employees rule) in every facts
        // header of every dialect: decided on the request the proxy really serves.
        String agent = agent("spoof-through-proxy");
        HttpCall.Response r = call("/reports/q1", false, agent).bearer(stack.token("finance"))
                .header("X-Original-URL", stack.origin() + "/whoami.json").header("X-Original-Method", "GET")
                .header("X-Forwarded-Uri", "/whoami.json").header("X-Forwarded-Method", "GET").get();

        assertThat(r.status()).isEqualTo(403);
        assertThat(linesOf(agent)).singleElement()
                .satisfies(line -> assertThat(line.at("/what/path").asText()).isEqualTo("/reports/q1"));
    }

    @ParameterizedTest(name = "h2={0}")
    @ValueSource(booleans = {false, true})
    void factsWhenSentStraightToTheDecisionListenerFromAnUntrustedAddressThenRefused(boolean h2) {
        String agent = agent("untrusted-peer");
        // An attacker on the host network, not the proxy: another source address, its own facts and device header.
        HttpCall.Response r = HttpCall.to(stack.pki.caPem(), "https://localhost:" + stack.authzPort + authzPath())
                .http2(h2).from("127.0.0.2").header("User-Agent", agent).bearer(stack.token("finance"))
                .header("X-Original-URL", stack.origin() + "/reports/q1").header("X-Original-Method", "GET")
                .header("X-Forwarded-Host", ProxiedStack.HOST + ":" + stack.proxyPort)
                .header("X-Forwarded-Uri", "/reports/q1").header("X-Forwarded-Method", "GET")
                .header("X-Forwarded-Proto", "https").header("X-Real-IP", "10.20.0.5").get();

        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.header("X-Gatehouse-Assertion")).isNull();
        assertThat(r.body()).contains("authz-caller-untrusted");
    }

    @Test
    void browserWhenSigningInThroughTheProxyThenHelloAppShowsWhoItIs() {
        // Headless Chromium (HTTP/2 to the proxy): the proxy sends it to the IdP, which signs pat in at once and sends
        // it back to /.gatehouse/callback on the proxy's host; the proxy routes that to Gatehouse's public listener,
        // and the next navigation is allowed with the session: hello-app's page, from a verified assertion.
        Browsers.requireChromium();
        org.openqa.selenium.WebDriver browser = Browsers.start();
        try {
            browser.get(stack.origin() + "/");
            Browsers.waiting(browser).until(org.openqa.selenium.support.ui.ExpectedConditions
                    .urlToBe(stack.origin() + "/"));
            Browsers.waiting(browser).until(org.openqa.selenium.support.ui.ExpectedConditions
                    .textToBePresentInElementLocated(org.openqa.selenium.By.tagName("body"), "pat@corp.example"));
            Browsers.screenshot(browser, ProxyConfigs.root(), "login-through-" + name());
        } finally {
            browser.quit();
        }
    }

    @ParameterizedTest(name = "h2={0}")
    @ValueSource(booleans = {false, true})
    void navigationWhenNoSessionThenSentToTheIdpAndSignedInThroughTheProxy(boolean h2) throws Exception {
        Path jar = java.nio.file.Files.createTempFile(stack.dir, "cookies", ".txt");
        String agent = agent("login");

        HttpCall.Response first = call("/", h2, agent).cookies(jar).header("Accept", "text/html")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document").get();

        assertThat(first.status()).as(first.body()).isEqualTo(302);
        String location = first.header("Location");
        assertThat(location).startsWith(stack.issuer.issuer() + "/authorize?");
        assertThat(first.headers().get("set-cookie")).anySatisfy(c -> assertThat(c).startsWith("__Host-"));
        // The issuer signs pat in at once and sends the browser back to /.gatehouse/callback on the proxy's host.
        HttpCall.Response idp = HttpCall.to(stack.pki.caPem(), location).cookies(jar).get();
        assertThat(idp.status()).isEqualTo(302);
        String callback = idp.header("Location");
        assertThat(callback).startsWith(stack.origin() + "/.gatehouse/");
        HttpCall.Response back = call(callback.substring(stack.origin().length()), h2, agent).cookies(jar)
                .header("Accept", "text/html").get();
        assertThat(back.status()).as(back.body()).isEqualTo(302);
        assertThat(back.header("Location")).isEqualTo(stack.origin() + "/");
        HttpCall.Response page = call("/", h2, agent).cookies(jar).header("Accept", "text/html").get();
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("pat@corp.example");
    }
}
