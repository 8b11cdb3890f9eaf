package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device posture through the running gateway: a real client certificate over TLS, its fingerprint looked up in an
 * HTTP stand-in for device-inventory (client-credentials token included), the decision and the assertion's device.
 */
class DeviceIT extends GatewayITSupport {

    private static final String HIGH = """
            {"id": "dev-42", "known": true, "managed": true, "trust": "high", "disk_encrypted": true,
             "screen_lock": true, "os": "macOS", "os_version": "15.3", "owner": "pat@corp.example",
             "reported_at": "2026-11-23T08:00:00Z"}""";

    private InventoryStub inventory;

    @Override
    protected String config(URI upstreamUri) {
        return """
                routes:
                  - id: devices
                    from: https://localhost
                    to: %s
                    policy:
                      allow:
                        - name: good-devices
                          public: true
                          device: { trust: high }
                """.formatted(upstreamUri);
    }

    @Override
    protected void customize(RunningGateway.Builder builder) {
        inventory = InventoryStub.start();
        builder.property("gatehouse.inventory.url", inventory.uri().toString())
                .property("gatehouse.inventory.token-uri", inventory.uri().resolve("/token").toString())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "secret")
                .property("gatehouse.inventory.timeout", "5s");
    }

    @AfterAll
    void stopInventory() {
        inventory.close();
    }

    private DevPki.Issued device(String name, String posture) {
        DevPki.Issued device = gateway.pki().issueDevice(name);
        if (posture != null) {
            inventory.posture(device.sha256(), posture);
        }
        return device;
    }

    private GatewayClient.Response get(DevPki.Issued device) {
        GatewayClient client = device == null ? client() : client().withDevice(device);
        return client.get("/x", Map.of("Accept", "application/json"));
    }

    @Test
    void requestWhenEnrolledHighTrustDeviceThenAllowedAndAssertionNamesTheDevice() throws Exception {
        GatewayClient.Response response = get(device("laptop-high", HIGH));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String jwt = upstream.last().header("X-Gatehouse-Assertion");
        var claims = new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.path("device").path("id").asText()).isEqualTo("dev-42");
        assertThat(claims.path("device").path("trust").asText()).isEqualTo("high");
        assertThat(inventory.seenAuthorization()).allMatch(a -> a.startsWith("Bearer tok-"));
    }

    @Test
    void requestWhenNoCertificateThenDeniedAndUpstreamSawNothing() {
        GatewayClient.Response response = get(null);

        // anonymous and denied: the DECIDE stage answers 401 (a login might help), with the reasons
        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenDeviceNotEnrolledThenDeniedWithThatReason() {
        GatewayClient.Response response = get(device("laptop-unknown", null));

        // anonymous and denied: the DECIDE stage answers 401 (a login might help), with the reasons
        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(response.body()).contains("not enrolled");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void requestWhenInventoryFailsThenDeniedAndTheReasonSaysUnreachable() {
        DevPki.Issued laptop = device("laptop-during-outage", HIGH);
        inventory.mode(InventoryStub.Mode.FAIL);
        try {
            GatewayClient.Response response = get(laptop);

            // anonymous and denied: the DECIDE stage answers 401 (a login might help), with the reasons
        assertThat(response.status()).as(response.body()).isIn(401, 403);
            assertThat(response.body()).contains("device inventory unreachable (HTTP 500)");
            assertThat(upstream.received()).isEmpty();
        } finally {
            inventory.mode(InventoryStub.Mode.ANSWER);
        }
    }

    @Test
    void requestWhenForwardedCertificateHeaderFromUntrustedPeerThenIgnored() throws Exception {
        DevPki.Issued laptop = device("laptop-forwarded-untrusted", HIGH);
        String pem = java.net.URLEncoder.encode(java.nio.file.Files.readString(laptop.certificatePem()),
                StandardCharsets.UTF_8).replace("+", "%20");

        GatewayClient.Response response = client().get("/x", Map.of("Accept", "application/json",
                "X-Forwarded-Client-Cert", pem));

        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void metricsOnTheManagementPortShowPostureCacheAndBreaker() throws Exception {
        DevPki.Issued laptop = device("laptop-metrics", HIGH);
        get(laptop);
        get(laptop);

        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();

        assertThat(metrics).contains("gatehouse_posture_cache_hits_total", "gatehouse_posture_cache_misses_total",
                "gatehouse_posture_breaker_state", "gatehouse_posture_lookups_total{outcome=\"answered\"}",
                "resilience4j_circuitbreaker_state{name=\"device-inventory\",state=\"closed\"} 1.0",
                "resilience4j_circuitbreaker_calls_seconds_count{kind=\"successful\",name=\"device-inventory\"}");
        assertThat(metricValue(metrics, "gatehouse_posture_cache_hits_total")).isGreaterThanOrEqualTo(1.0);
    }

    private static double metricValue(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
