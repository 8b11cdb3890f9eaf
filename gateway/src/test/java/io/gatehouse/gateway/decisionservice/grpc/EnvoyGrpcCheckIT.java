package io.gatehouse.gateway.decisionservice.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.gatehouse.gateway.testing.DecisionLogITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.testsupport.StubServer;
import io.gatehouse.testsupport.TestIssuer;
import io.gatehouse.verifier.GatehouseIdentity;
import io.gatehouse.verifier.GatehouseVerifier;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Envoy gRPC ext_authz contract at the protocol level (no Envoy binary runs here): a grpc-java client with the
 * client certificate of a trusted proxy (SAN = the ingress gateway's SPIFFE id, from the gateway's test CA) sends
 * {@code CheckRequest}s shaped as Envoy sends them (lower-case {@code headers} with pseudo-headers, the raw
 * {@code path} with its query, {@code source.address}, URL-encoded {@code source.certificate}) to a
 * {@link RunningGateway} whose decision service listens for gRPC with TLS and required client certificates.
 */
class EnvoyGrpcCheckIT extends DecisionLogITSupport {

    private static final String ENVOY = "spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway";
    private static final String HIGH = """
            {"id": "dev-9", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    @TempDir
    Path otherDir;
    private TestIssuer issuer;
    private StubServer inventory;
    private final Map<String, String> postures = new ConcurrentHashMap<>();
    /** Posture lookups for these fingerprints are held until the latch opens (an inventory that hangs). */
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private int grpcPort;

    @Override
    protected String config(URI upstream) {
        return """
                routes:
                  - id: app
                    from: https://app.localhost
                    to: %1$s
                    policy:
                      allow:
                        - name: staff
                          groups: [staff]
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
        issuer = TestIssuer.start();
        inventory = StubServer.start(StubServer.Binding.loopback());
        inventory.route("/token", exchange -> StubServer.respond(exchange, 200,
                "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
        inventory.route("/v1/posture", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            String sha = query == null ? "" : query.replace("cert_sha256=", "");
            CountDownLatch hold = held.get(sha);
            if (hold != null) {
                try {
                    hold.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String json = postures.get(sha);
            StubServer.respond(exchange, json == null ? 404 : 200, json == null ? "{}" : json);
        });
        grpcPort = freePort();
        DevPki pki = DevPki.create(dir.resolve("pki"));
        builder.pki(pki)
                .property("gatehouse.bearer.issuers[0].issuer-uri", issuer.issuer())
                .property("gatehouse.bearer.issuers[0].audiences[0]", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.issuer-uri", issuer.issuer())
                .property("gatehouse.oidc.client-id", TestIssuer.AUDIENCE)
                .property("gatehouse.oidc.client-secret", "secret")
                .property("gatehouse.inventory.url", inventory.base())
                .property("gatehouse.inventory.timeout", "10s")
                .property("gatehouse.authz.grpc.port", grpcPort)
                .property("gatehouse.authz.grpc.check-timeout", "2s")
                .property("gatehouse.authz.client-ca", pki.caPem().toString())
                .property("gatehouse.authz.callers[0].name", "ingress")
                .property("gatehouse.authz.callers[0].san[0]", ENVOY);
    }

    @AfterAll
    void stopStubs() {
        if (issuer != null) {
            issuer.close();
        }
        if (inventory != null) {
            inventory.close();
        }
    }

    // ---- allow ----

    @Test
    void checkWhenBearerOfStaffThenOkWithVerifiableAssertionRemovalsAndMetadata() throws Exception {
        CheckResponse response = check(envoy(h -> h
                .putHeaders("authorization", "Bearer " + issuer.es256(c -> { }))
                .putHeaders("x-gatehouse-user", "forged-admin")
                .putHeaders("x-gatehouse-assertion", "forged.assertion.value")
                .putHeaders("cookie", "app=1; __Host-gatehouse=some-session")));

        assertThat(response.getStatus().getCode()).as(response.toString()).isZero();
        HeaderValueOption set = response.getOkResponse().getHeaders(0);
        assertThat(set.getHeader().getKey()).isEqualTo("x-gatehouse-assertion");
        assertThat(set.getAppendAction()).isEqualTo(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
        JWKSet jwks = JWKSet.parse(client().get(GatehouseVerifier.JWKS_PATH).body());
        GatehouseIdentity who = GatehouseVerifier.builder(RunningGateway.ISSUER, "app").jwks(jwks).build()
                .verify(set.getHeader().getValue(), "GET", "app.localhost", "/reports/7");
        assertThat(who.subject()).isEqualTo("u-17");
        assertThat(response.getOkResponse().getHeadersToRemoveList())
                .containsExactlyInAnyOrder("x-gatehouse-user", "authorization");
        assertThat(response.getOkResponse().getHeadersList()).extracting(h -> h.getHeader().getKey() + ": "
                + h.getHeader().getValue()).contains("cookie: app=1"); // Gatehouse's session cookie stays here
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("rule").getStringValue()).isEqualTo("staff");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("route").getStringValue()).isEqualTo("app");
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("decision").getStringValue()).isEqualTo("allow");
        JsonNode line = onlyLine(metadata(response, "request_id"));
        assertThat(line.path("via").path("dialect").asText()).isEqualTo("envoy-grpc");
        assertThat(line.path("via").path("caller").asText()).isEqualTo(ENVOY);
        assertThat(line.path("via").path("proxy_request_id").asText()).isEqualTo("envoy-7f3a");
        assertThat(line.path("what").path("path").asText()).isEqualTo("/reports/7");
        assertThat(line.path("where").path("source_ip").asText()).isEqualTo("198.51.100.7");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(200);
    }

    // ---- deny ----

    @Test
    void checkWhenBearerWithoutTheGroupThenDenied403ProblemJson() throws Exception {
        CheckResponse response = check(envoy(h -> h
                .putHeaders("authorization", "Bearer " + issuer.es256(c -> c.claim("groups", List.of("visitors"))))
                .putHeaders("accept", "application/json")));

        assertThat(response.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
        assertThat(header(response, "content-type")).startsWith("application/problem+json");
        JsonNode problem = new ObjectMapper().readTree(response.getDeniedResponse().getBody());
        assertThat(problem.path("code").asText()).isEqualTo("denied");
        assertThat(problem.path("request_id").asText()).isEqualTo(header(response, "x-request-id"));
        assertThat(onlyLine(header(response, "x-request-id")).path("result").path("status").asInt()).isEqualTo(403);
    }

    @Test
    void checkWhenBrowserDeniedThenHtmlDenyPage() throws Exception {
        CheckResponse response = check(envoy(h -> h
                .putHeaders("authorization", "Bearer " + issuer.es256(c -> c.claim("groups", List.of("visitors"))))
                .putHeaders("accept", "text/html,application/xhtml+xml")));

        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
        assertThat(header(response, "content-type")).startsWith("text/html");
        assertThat(response.getDeniedResponse().getBody()).contains(header(response, "x-request-id"));
    }

    // ---- login ----

    @Test
    void checkWhenAnonymousBrowserNavigationThen302ToTheIssuerWithLoginCookie() throws Exception {
        CheckResponse response = check(envoy(h -> h
                .putHeaders("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .putHeaders("sec-fetch-mode", "navigate")));

        assertThat(response.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(302);
        assertThat(header(response, "location")).startsWith(issuer.issuer() + "/authorize?")
                .contains("redirect_uri=" + URLEncoder.encode("https://app.localhost/.gatehouse/callback",
                        StandardCharsets.UTF_8));
        assertThat(header(response, "set-cookie")).startsWith("__Host-gatehouse-login=");
        assertThat(header(response, "cache-control")).isEqualTo("no-store");
        assertThat(onlyLine(header(response, "x-request-id")).path("result").path("status").asInt()).isEqualTo(302);
    }

    @Test
    void checkWhenAnonymousApiCallThen401WithWwwAuthenticate() throws Exception {
        CheckResponse response = check(envoy(h -> h.putHeaders("accept", "application/json")));

        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(401);
        assertThat(header(response, "www-authenticate")).startsWith("Bearer");
        assertThat(header(response, "content-type")).startsWith("application/problem+json");
    }

    // ---- device ----

    @Test
    void checkWhenSourceCertificateIsAHighTrustDeviceThenItsRuleAllows() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("envoy-laptop");
        postures.put(laptop.sha256(), HIGH);
        String certificate = envoyEncoded(laptop);

        CheckResponse response = check(envoy(h -> h.setHost("devices.localhost")
                .putHeaders(":authority", "devices.localhost"), p -> p.setCertificate(certificate)));

        assertThat(response.getStatus().getCode()).as(response.toString()).isZero();
        assertThat(response.getDynamicMetadata().getFieldsOrThrow("rule").getStringValue()).isEqualTo("good-devices");
        assertThat(onlyLine(metadata(response, "request_id")).path("where").path("device_trust").asText())
                .isEqualTo("high");
    }

    @Test
    void checkWhenNoSourceCertificateThenTheDeviceRuleDoesNotAllow() throws Exception {
        CheckResponse response = check(envoy(h -> h.setHost("devices.localhost")
                .putHeaders(":authority", "devices.localhost").putHeaders("accept", "application/json")));

        assertThat(response.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isIn(401, 403);
    }

    @Test
    void checkWhenSourceCertificateFromAnotherCaThenNotBelieved() throws Exception {
        DevPki.Issued forged = DevPki.create(otherDir, "not-the-device-ca").issueDevice("forged-laptop");
        postures.put(forged.sha256(), HIGH);
        String certificate = envoyEncoded(forged);

        CheckResponse response = check(envoy(h -> h.setHost("devices.localhost")
                .putHeaders(":authority", "devices.localhost").putHeaders("accept", "application/json"),
                p -> p.setCertificate(certificate)));

        assertThat(response.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
    }

    @Test
    void checkWhenNoDecisionWithinTheCheckTimeoutThenDeadlineExceededNeverOk() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("hanging-inventory-laptop");
        postures.put(laptop.sha256(), HIGH);
        CountDownLatch release = new CountDownLatch(1);
        held.put(laptop.sha256(), release);
        String certificate = envoyEncoded(laptop);
        try {
            StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class,
                    () -> check(envoy(h -> h.setHost("devices.localhost").putHeaders(":authority", "devices.localhost")
                            .putHeaders("x-request-id", "envoy-late-1"), p -> p.setCertificate(certificate))));

            assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(late.getStatus().getDescription()).contains("authz-check-timeout");
            JsonNode line = onlyLine("envoy-late-1");
            assertThat(line.path("result").path("status").asInt()).isEqualTo(500);
            assertThat(line.path("why").path("reasons").get(0).asText()).startsWith("authz-check-timeout");
        } finally {
            release.countDown();
        }
    }

    @Test
    void checkWhenEnvoyCancelsBeforeADecisionThenOneLineSaysSo() throws Exception {
        DevPki.Issued laptop = gateway.pki().issueDevice("cancelled-check-laptop");
        postures.put(laptop.sha256(), HIGH);
        CountDownLatch release = new CountDownLatch(1);
        held.put(laptop.sha256(), release);
        String certificate = envoyEncoded(laptop);
        try {
            StatusRuntimeException gaveUp = catchThrowableOfType(StatusRuntimeException.class,
                    () -> check(gateway.pki().issueCaller("envoy", ENVOY), envoy(h -> h
                            .setHost("devices.localhost").putHeaders(":authority", "devices.localhost")
                            .putHeaders("x-request-id", "envoy-cancel-1"), p -> p.setCertificate(certificate)),
                            Duration.ofMillis(500)));

            assertThat(gaveUp.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            JsonNode line = onlyLine("envoy-cancel-1");
            assertThat(line.path("result").path("status").asInt()).isEqualTo(403);
            assertThat(line.path("why").path("reasons").get(0).asText()).startsWith("authz-check-cancelled");
        } finally {
            release.countDown();
        }
    }

    // ---- hygiene and facts ----

    @Test
    void checkWhenPathHasEncodedDotSegmentThen400() throws Exception {
        CheckResponse response = check(envoy(h -> h.setPath("/a/%2e%2e/admin").putHeaders(":path", "/a/%2e%2e/admin")));

        assertThat(response.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED.value());
        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(400);
        assertThat(header(response, "content-type")).startsWith("application/problem+json");
        assertThat(onlyLine(header(response, "x-request-id")).path("result").path("status").asInt()).isEqualTo(400);
    }

    @Test
    void checkWhenHostIsMissingThen400FactsInvalid() throws Exception {
        CheckResponse response = check(envoy(h -> h.setHost("").removeHeaders(":authority")));

        assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(400);
        JsonNode problem = new ObjectMapper().readTree(response.getDeniedResponse().getBody());
        assertThat(problem.path("code").asText()).isEqualTo("authz-facts-invalid");
        assertThat(problem.path("reasons").get(0).asText()).contains("attributes.request.http.host \"\"");
        JsonNode line = onlyLine(header(response, "x-request-id"));
        assertThat(line.path("via").path("proxy_request_id").asText()).isEqualTo("envoy-7f3a");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(400);
    }

    // ---- callers ----

    @Test
    void checkWhenCallerCertificateHasAnotherSanThenPermissionDeniedStatusAndNoResponse() throws Exception {
        String rogue = "spiffe://cluster.local/ns/default/sa/rogue";
        DevPki.Issued caller = gateway.pki().issueCaller("rogue", rogue);
        double before = untrustedCount();

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> check(caller, envoy(h -> h.putHeaders("authorization", "Bearer " + issuer.es256(c -> { })))));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).contains(rogue).contains("not a trusted caller");
        await().atMost(Duration.ofSeconds(10)).until(() -> untrustedCount() == before + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesWith(rogue).isEmpty());
        JsonNode line = linesWith(rogue).get(0);
        assertThat(line.path("via").path("dialect").asText()).isEqualTo("envoy-grpc");
        assertThat(line.path("result").path("status").asInt()).isEqualTo(403);
        assertThat(line.path("why").path("reasons").get(0).asText()).startsWith("authz-caller-untrusted");
    }

    @Test
    void checkWhenCallerCertificateFromAnotherCaThenHandshakeRefused() throws Exception {
        DevPki.Issued stranger = DevPki.create(otherDir, "stranger-ca").issueCaller("envoy", ENVOY);
        // The listener answers the same SAN from the right CA: only the CA differs.
        assertThat(check(envoy(h -> h.putHeaders("accept", "application/json"))).hasDeniedResponse()).isTrue();

        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> check(stranger, envoy(h -> h)));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }

    // ---- Envoy's requests ----

    /** A check as Envoy 1.34 sends it for {@code GET https://app.localhost/reports/7?view=full} from 198.51.100.7. */
    private static CheckRequest envoy(UnaryOperator<AttributeContext.HttpRequest.Builder> http) {
        return envoy(http, p -> p);
    }

    private static CheckRequest envoy(UnaryOperator<AttributeContext.HttpRequest.Builder> http,
                                      UnaryOperator<AttributeContext.Peer.Builder> source) {
        AttributeContext.HttpRequest.Builder request = AttributeContext.HttpRequest.newBuilder()
                .setId("envoy-7f3a").setMethod("GET").setScheme("https").setHost("app.localhost")
                .setPath("/reports/7?view=full").setProtocol("HTTP/2")
                .putHeaders(":authority", "app.localhost").putHeaders(":method", "GET")
                .putHeaders(":path", "/reports/7?view=full").putHeaders(":scheme", "https")
                .putHeaders("user-agent", "Mozilla/5.0").putHeaders("x-request-id", "envoy-7f3a")
                .putHeaders("x-forwarded-proto", "https").putHeaders("x-forwarded-for", "198.51.100.7");
        AttributeContext.Peer.Builder peer = AttributeContext.Peer.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(
                        SocketAddress.newBuilder().setAddress("198.51.100.7").setPortValue(51234)));
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                        .setSource(source.apply(peer))
                        .setDestination(AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder()
                                .setSocketAddress(SocketAddress.newBuilder().setAddress("10.0.0.5")
                                        .setPortValue(8443))))
                        .setRequest(AttributeContext.Request.newBuilder().setHttp(http.apply(request))))
                .build();
    }

    /** The certificate as Envoy puts it in {@code source.certificate}: PEM, URL-encoded. */
    private static String envoyEncoded(DevPki.Issued device) throws IOException {
        return URLEncoder.encode(Files.readString(device.certificatePem()), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private CheckResponse check(CheckRequest request) throws Exception {
        return check(gateway.pki().issueCaller("envoy", ENVOY), request);
    }

    private CheckResponse check(DevPki.Issued caller, CheckRequest request) throws Exception {
        return check(caller, request, Duration.ofSeconds(10));
    }

    /** One check on a channel of its own, as {@code caller}, with Envoy's {@code timeout} as the call's deadline. */
    private CheckResponse check(DevPki.Issued caller, CheckRequest request, Duration deadline) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort)
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(gateway.pki().caPem().toFile())
                        .keyManager(caller.certificatePem().toFile(), caller.keyPem().toFile())
                        .build())
                .build();
        try {
            return AuthorizationGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS).check(request);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String header(CheckResponse response, String name) {
        return response.getDeniedResponse().getHeadersList().stream()
                .filter(h -> h.getHeader().getKey().equals(name)).map(h -> h.getHeader().getValue())
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + response));
    }

    private static String metadata(CheckResponse response, String name) {
        return response.getDynamicMetadata().getFieldsOrThrow(name).getStringValue();
    }

    private JsonNode onlyLine(String requestId) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !linesFor(requestId).isEmpty());
        List<JsonNode> found = linesFor(requestId);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private List<JsonNode> linesWith(String text) {
        return linesFor(text);
    }

    private double untrustedCount() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                gateway.managementUri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("gatehouse_authz_untrusted_callers_total{")
                        && l.contains("listener=\"grpc\"")).mapToDouble(l -> Double.parseDouble(
                        l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
