package io.gatehouse.gateway.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testsupport.DevPki;
import io.gatehouse.gateway.testing.GatewayClient;
import io.gatehouse.gateway.testing.GatewayITSupport;
import io.gatehouse.gateway.testing.RunningGateway;
import io.gatehouse.testsupport.TestIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The posture path against the real device-inventory (its jar, as a separate process, on embedded PostgreSQL), with
 * client-credentials tokens from {@link TestIssuer}: a device seeded through the inventory's API is allowed with
 * trust high, denied once quarantined (the cache TTL is 1 ms, so the next request asks again), and denied, fail
 * closed, once the inventory is stopped. The tests run in that order; each builds on the state the previous left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InventoryPostureIT extends GatewayITSupport {

    private static final String DEVICE = "dev-real-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestIssuer issuer;
    private InventoryProcess inventory;
    private DevPki.Issued laptop;

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

    /** Starts the issuer and the inventory process first, so the inventory boots while the gateway starts. */
    @Override
    protected void customize(RunningGateway.Builder builder) {
        issuer = TestIssuer.start().client("gateway", "gateway-secret");
        inventory = InventoryProcess.start(dir, issuer.issuer());
        builder.property("gatehouse.inventory.url", inventory.api().toString())
                .property("gatehouse.inventory.token-uri", issuer.tokenUri())
                .property("gatehouse.inventory.client-id", "gateway")
                .property("gatehouse.inventory.client-secret", "gateway-secret")
                // generous for a loaded 2-core machine: the inventory's first answers run in a cold JVM
                .property("gatehouse.inventory.timeout", "5s")
                // the next request after a change must ask the inventory again
                .property("gatehouse.inventory.cache-ttl", "1ms");
    }

    @BeforeAll
    void seedDevice() throws IOException, InterruptedException {
        inventory.awaitReady(Duration.ofSeconds(45));
        laptop = gateway.pki().issueDevice("laptop-real-inventory");
        String admin = issuer.withScopes("devices:write");

        HttpResponse<String> created = call("PUT", "/v1/devices/" + DEVICE, admin, null, """
                {"owner": "pat@corp.example", "os": "macOS", "os_version": "15.3", "managed": true,
                 "cert_sha256": ["%s"]}""".formatted(laptop.sha256()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        HttpResponse<String> reported = call("POST", "/v1/devices/" + DEVICE + "/reports",
                agentOf(DEVICE), etag(created), """
                {"disk_encrypted": true, "screen_lock": true, "os_version": "15.3"}""");
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(200);
    }

    /** The device's own agent: devices:report, bound to the device by its device_id claim. */
    private String agentOf(String device) {
        return issuer.rs256(claims -> claims.claim("scope", "devices:report").claim("device_id", device));
    }

    @AfterAll
    void stopInventoryAndIssuer() {
        if (inventory != null) {
            inventory.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    @Order(1)
    void requestWhenDeviceHasHighTrustInTheInventoryThenAllowedAndAssertionNamesIt() throws IOException {
        GatewayClient.Response response = get();

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(
                upstream.last().header("X-Gatehouse-Assertion").split("\\.")[1]));
        assertThat(claims.path("device").path("id").asText()).isEqualTo(DEVICE);
        assertThat(claims.path("device").path("trust").asText()).isEqualTo("high");
    }

    @Test
    @Order(2)
    void requestWhenDeviceQuarantinedThenNextRequestDeniedNamingTheTrust() throws IOException, InterruptedException {
        HttpResponse<String> current = call("GET", "/v1/devices/" + DEVICE, issuer.withScopes("devices:read"), null, null);
        HttpResponse<String> quarantined = call("POST", "/v1/devices/" + DEVICE + "/quarantine",
                issuer.withScopes("devices:write"), etag(current), "{\"reason\": \"reported stolen, ticket SEC-1\"}");
        assertThat(quarantined.statusCode()).as(quarantined.body()).isEqualTo(200);

        GatewayClient.Response response = get();

        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(response.body()).contains("device trust is untrusted", "needs high");
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    @Order(3)
    void requestWhenInventoryStoppedThenDeniedFailClosedAndReasonSaysUnreachable() throws Exception {
        var postgres = inventory.startedPostgres();
        assertThat(postgres).as("the inventory's embedded PostgreSQL, found by its port").isNotEmpty();

        inventory.stop();
        // the inventory stops its PostgreSQL on a normal shutdown: nothing of it is left behind
        await().atMost(Duration.ofSeconds(15)).until(() -> postgres.stream().noneMatch(ProcessHandle::isAlive));

        GatewayClient.Response response = get();

        assertThat(response.status()).as(response.body()).isIn(401, 403);
        assertThat(response.body()).contains("device inventory unreachable");
        assertThat(upstream.received()).isEmpty();
        String metrics = http.send(HttpRequest.newBuilder(gateway.managementUri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("gatehouse_posture_lookups_total{outcome=\"device-inventory-unreachable\"}");
    }

    private GatewayClient.Response get() {
        return client().withDevice(laptop).get("/x", Map.of("Accept", "application/json"));
    }

    private HttpResponse<String> call(String method, String path, String token, String ifMatch, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(inventory.api().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String etag(HttpResponse<String> response) {
        return response.headers().firstValue("ETag")
                .orElseThrow(() -> new AssertionError("no ETag in " + response.statusCode() + " " + response.body()));
    }
}
