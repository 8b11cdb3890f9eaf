package io.gatehouse.gateway.decisionservice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatehouse.gateway.device.InventoryStub;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP authz listener against a running gateway with real TLS (docs/decision-service.md): callers trusted by
 * certificate SAN (client certificates required, chained to {@code gatehouse.authz.client-ca}) or by source CIDR
 * ({@code 127.0.0.2}); the dialects nginx and forward-auth; the decision, the assertion, the login redirect, the
 * device, hygiene, the log line and the metrics; the public listener has no {@code /authz/*} of its own.
 */
class AuthzListenerIT extends DecisionLogITSupport {

    static final String NGINX_SAN = "spiffe://gatehouse.test/ns/edge/sa/nginx";
    static final String HIGH = """
            {"id": "dev-9", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    @TempDir
    Path otherDir;
    private TestIssuer idp;
    private InventoryStub inventory;
    private DevPki.Issued nginxCert;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://app.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: signed-in
                          authenticated: true
                  - id: finance
                    from: https://finance.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: accountants
                          groups: [accounting]
                  - id: devices
                    from: https://devices.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: good-devices
                          public: true
                          device: { trust: high }
                """.formatted(upstream);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        idp = TestIssuer.start();
        inventory = InventoryStub.start();
        // One test CA issues the server, device and caller certificates; in production the callers' CA is its own.
        DevPki pki = DevPki.create(dir.resolve("pki"));
        builder.pki(pki)
                .property("gatehouse.authz.client-ca", pki.caPem().toString())
                .property("gatehouse.bearer.issuers[0].issuer-uri", idp.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.issuer-uri", idp.issuer())
                .property("gatehouse.oidc.client-id", "gatehouse")
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.timeout", "5s")
                .property("gatehouse.authz.http.port", 0)
                .property("gatehouse.authz.callers[0].san[0]", NGINX_SAN)
                .property("gatehouse.authz.callers[1].cidrs[0]", "127.0.0.2/32");
    }

    @AfterAll
    void stopStubs() {
        idp.close();
        inventory.close();
    }

    private int authzPort() {
        return gateway.context().getBean(AuthzHttpServer.class).port();
    }

    private GatewayClient nginx() {
        if (nginxCert == null) {
            nginxCert = gateway.pki().issueCaller("nginx", NGINX_SAN);
        }
        return GatewayClient.listener(gateway.pki(), authzPort(), nginxCert, null);
    }

    private static Map<String, String> nginxFacts(String url, String... more) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "gatehouse-authz");
        headers.put("X-Original-URL", url);
        headers.put("X-Original-Method", "GET");
        headers.put("X-Real-IP", "192.0.2.10");
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    private static Map<String, String> forwardAuthFacts(String host, String uri, String... more) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Forwarded-Method", "GET");
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", host);
        headers.put("X-Forwarded-Uri", uri);
        headers.put("X-Forwarded-For", "192.0.2.11");
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    private JsonNode onlyCheckLine(GatewayClient.Response response) {
        String id = response.header("X-Gatehouse-Request-Id");
        assertThat(id).as("request id of the check").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(id).isEmpty());
        List<JsonNode> found = linesFor(id);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void nginxWhenBearerAllowedThen200WithAnAssertionTheVerifierAccepts() throws Exception {
        GatewayClient.Response response = nginx().get("/authz/nginx", nginxFacts("https://app.localhost/reports?q=1",
                "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String assertion = response.header("X-Gatehouse-Assertion");
        JWKSet jwks = JWKSet.parse(client().get("/.well-known/gatehouse/jwks.json").body());
        GatehouseIdentity who = GatehouseVerifier.builder(RunningGateway.ISSUER, "app").jwks(jwks).build()
                .verify(assertion, "GET", "app.localhost", "/reports");
        assertThat(who.anonymous()).isFalse();
        assertThat(who.groups()).contains("staff");
        assertThat(response.header("X-Gatehouse-Rule")).isEqualTo("signed-in");
        assertThat(upstream.received()).as("a check never reaches an upstream").isEmpty();

        JsonNode line = onlyCheckLine(response);
        assertThat(line.at("/via/dialect").asText()).isEqualTo("nginx");
        assertThat(line.at("/via/caller").asText()).isEqualTo(NGINX_SAN);
        assertThat(line.at("/what/host").asText()).isEqualTo("app.localhost");
        assertThat(line.at("/what/path").asText()).isEqualTo("/reports");
        assertThat(line.at("/where/source_ip").asText()).isEqualTo("192.0.2.10");
        assertThat(line.at("/result/status").asInt()).isEqualTo(200);
        assertThat(line.at("/assertion_jti").asText()).isNotEmpty();
        assertThat(gateway.context().getBean(MeterRegistry.class).find("gatehouse.authz.checks")
                .tags("dialect", "nginx", "outcome", "allow").counter()).isNotNull();
    }

    @Test
    void nginxWhenPolicyDeniesThen403WithTheReasonsInAHeader() {
        GatewayClient.Response response = nginx().get("/authz/nginx", nginxFacts("https://finance.localhost/books",
                "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.header("X-Gatehouse-Denied")).contains("accounting");
        assertThat(response.header("X-Gatehouse-Assertion")).isNull();
        JsonNode line = onlyCheckLine(response);
        assertThat(line.at("/why/decision").asText()).isEqualTo("deny");
        assertThat(line.at("/result/status").asInt()).isEqualTo(403);
    }

    @Test
    void forwardAuthWhenPolicyDeniesThen403ProblemWithReasons() {
        GatewayClient.Response response = nginx().get("/authz/forward-auth", forwardAuthFacts("finance.localhost",
                "/books", "Accept", "application/json", "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("code").asText()).isEqualTo("denied");
        assertThat(response.json().get("reasons").toString()).contains("accounting");
    }

    @Test
    void nginxWhenBrowserWithoutSessionThen401WithTheLoginUrlAndCookie() {
        GatewayClient.Response response = nginx().get("/authz/nginx", nginxFacts("https://app.localhost/reports?x=1",
                "Accept", "text/html", "Sec-Fetch-Mode", "navigate"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("X-Gatehouse-Login")).startsWith(idp.issuer())
                .contains("redirect_uri=" + URLEncoder.encode("https://app.localhost/.gatehouse/callback",
                        StandardCharsets.UTF_8));
        assertThat(response.header("Set-Cookie")).startsWith("__Host-gatehouse-login=").contains("Secure");
        assertThat(onlyCheckLine(response).at("/result/status").asInt()).isEqualTo(302);
    }

    @Test
    void forwardAuthWhenBrowserWithoutSessionThen302ToTheIdp() {
        GatewayClient.Response response = nginx().get("/authz/forward-auth", forwardAuthFacts("app.localhost",
                "/reports", "Accept", "text/html"));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).startsWith(idp.issuer());
        assertThat(response.header("Set-Cookie")).startsWith("__Host-gatehouse-login=");
    }

    @Test
    void nginxWhenTrustedCallerForwardsADeviceCertificateThenTheDeviceRuleDecides() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("authz-laptop");
        inventory.posture(laptop.sha256(), HIGH);
        String pem = URLEncoder.encode(Files.readString(laptop.certificatePem()), StandardCharsets.UTF_8)
                .replace("+", "%20");

        GatewayClient.Response withDevice = nginx().get("/authz/nginx", nginxFacts("https://devices.localhost/x",
                "X-Forwarded-Client-Cert", pem));
        GatewayClient.Response without = nginx().get("/authz/nginx", nginxFacts("https://devices.localhost/x"));

        assertThat(withDevice.status()).as(withDevice.header("X-Gatehouse-Denied")).isEqualTo(200);
        assertThat(onlyCheckLine(withDevice).at("/where/device_trust").asText()).isEqualTo("high");
        assertThat(without.status()).isIn(401, 403);
    }

    @Test
    void hygieneWhenDescribedPathHasDotSegmentsThenRefused() {
        GatewayClient.Response viaNginx = nginx().get("/authz/nginx", nginxFacts("https://app.localhost/a/%2e%2e/admin",
                "Authorization", "Bearer " + idp.rs256(c -> { })));
        GatewayClient.Response viaForwardAuth = nginx().get("/authz/forward-auth",
                forwardAuthFacts("app.localhost", "/a/%2e%2e/admin", "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(viaNginx.status()).isEqualTo(403);
        assertThat(viaNginx.header("X-Gatehouse-Status")).isEqualTo("400");
        assertThat(viaForwardAuth.status()).isEqualTo(400);
        assertThat(viaForwardAuth.json().get("code").asText()).startsWith("hygiene-");
        assertThat(onlyCheckLine(viaForwardAuth).at("/result/status").asInt()).isEqualTo(400);
    }

    @Test
    void checkWhenFactsMissingThenAuthzFactsInvalid() {
        GatewayClient.Response response = nginx().get("/authz/forward-auth", Map.of("X-Forwarded-Method", "GET"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("code").asText()).isEqualTo("authz-facts-invalid");
        assertThat(response.json().get("reasons").toString()).contains("X-Forwarded-Proto");
    }

    @Test
    void callerWhenCertificateSanNotConfiguredThen403UntrustedAndFactsIgnored() {
        DevPki.Issued stranger = gateway.pki().issueCaller("stranger", "spiffe://gatehouse.test/ns/x/sa/stranger");
        GatewayClient.Response response = GatewayClient.listener(gateway.pki(), authzPort(), stranger, null)
                .get("/authz/nginx", nginxFacts("https://app.localhost/reports",
                        "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("code").asText()).isEqualTo("authz-caller-untrusted");
        assertThat(response.header("X-Gatehouse-Assertion")).isNull();
        JsonNode line = onlyCheckLine(response);
        assertThat(line.at("/via/caller").asText()).isEqualTo("spiffe://gatehouse.test/ns/x/sa/stranger");
        assertThat(line.at("/why/reasons/0").asText()).contains("authz-caller-untrusted");
        assertThat(gateway.context().getBean(MeterRegistry.class).find("gatehouse.authz.untrusted.callers")
                .tags("listener", "http").counter().count()).isPositive();
    }

    @Test
    void callerWhenSourceInTrustedCidrThenTrustedEvenWithAnUnlistedCertificate() {
        DevPki.Issued any = gateway.pki().issueCaller("local-proxy", "local-proxy.localhost");
        GatewayClient.Response response = GatewayClient.listener(gateway.pki(), authzPort(), any, "127.0.0.2")
                .get("/authz/nginx", nginxFacts("https://app.localhost/reports",
                        "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.status()).isEqualTo(200);
        assertThat(onlyCheckLine(response).at("/via/caller").asText()).isEqualTo("127.0.0.2");
    }

    @Test
    void callerWhenClientCertificateOfAnotherCaThenHandshakeRefused() {
        DevPki.Issued foreign = DevPki.create(otherDir, "other-ca").issueCaller("nginx", NGINX_SAN);
        GatewayClient client = GatewayClient.listener(gateway.pki(), authzPort(), foreign, null);
        double checksBefore = checksAnswered();

        assertThatThrownBy(() -> client.get("/authz/nginx", nginxFacts("https://app.localhost/reports",
                "Authorization", "Bearer " + idp.rs256(c -> { }))))
                .as("no answer over a handshake the listener refused").isInstanceOf(Exception.class);
        assertThat(checksAnswered()).as("nothing reached the router").isEqualTo(checksBefore);
        assertThat(nginx().get("/authz/nginx", nginxFacts("https://app.localhost/reports")).status())
                .as("the same request from the trusted caller is answered").isEqualTo(401);
    }

    /** Checks the router answered, trusted or not (counted before each answer is written). */
    private double checksAnswered() {
        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        return meters.find("gatehouse.authz.checks").counters().stream().mapToDouble(c -> c.count()).sum()
                + meters.find("gatehouse.authz.untrusted.callers").counters().stream().mapToDouble(c -> c.count())
                .sum();
    }

    @Test
    void checkWhenOverHttp2ThenAnsweredAlike() {
        GatewayClient.Response response = nginx().http2().get("/authz/nginx",
                nginxFacts("https://app.localhost/reports", "Authorization", "Bearer " + idp.rs256(c -> { })));

        assertThat(response.protocol()).isEqualTo("HTTP/2.0");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Gatehouse-Assertion")).isNotNull();
    }

    @Test
    void pathWhenNotAnEndpointThen404() {
        assertThat(nginx().get("/", Map.of()).status()).isEqualTo(404);
        assertThat(nginx().get("/authz/nginx/extra", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void publicListenerWhenAskedForAuthzThenItIsAnOrdinaryRoutedPath() {
        GatewayClient.Response response = client().get("/authz/nginx", Map.of("Host", "app.localhost",
                "Accept", "application/json", "X-Original-URL", "https://app.localhost/reports",
                "X-Original-Method", "GET", "X-Real-IP", "192.0.2.10"));
        GatewayClient.Response unrouted = client().get("/authz/nginx", Map.of("Accept", "application/json"));

        assertThat(response.status()).as("route app needs a sign-in, the facts headers are ignored").isEqualTo(401);
        assertThat(response.header("X-Gatehouse-Login")).isNull();
        assertThat(response.header("X-Gatehouse-Assertion")).isNull();
        assertThat(unrouted.status()).isEqualTo(404);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void startupWhenAuthzPortEqualsTheManagementPortThenRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        int clash = port;
        assertThatThrownBy(() -> RunningGateway.builder(otherDir.resolve("clash")).config(config(upstream.uri()))
                .property("management.server.port", clash)
                .property("gatehouse.authz.client-ca", null)
                .property("gatehouse.authz.http.port", clash)
                .property("gatehouse.authz.callers[0].cidrs[0]", "127.0.0.1/32")
                .start().close())
                .hasStackTraceContaining("gatehouse.authz.http.port (" + clash + ") equals management.server.port");
    }
}
