package io.gatehouse.deviceinventory.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Health and metrics on the management port. */
class ManagementIT extends InventoryIT {

    @Test
    void livenessWhenRunningThenUp() {
        Api.Response r = new Api(managementPort).get("/actuator/health/liveness", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessIncludesTheDatabase() {
        Api.Response r = new Api(managementPort).get("/actuator/health/readiness", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("components").has("db")).isTrue();
    }

    @Test
    void prometheusShowsLookupsLatencyAndTrustGauges() {
        String cert = newFingerprint();
        createDevice(newId(), cert);
        api.get("/v1/posture?cert_sha256=" + cert, token("posture:read"));
        api.get("/v1/posture?cert_sha256=" + newFingerprint(), token("posture:read"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String text = new Api(managementPort).get("/actuator/prometheus", null).text();
            assertThat(text).contains("inventory_posture_lookups_seconds_count{result=\"found\"");
            assertThat(text).contains("inventory_posture_lookups_seconds_count{result=\"unknown\"");
            assertThat(text).contains("http_server_requests_seconds_bucket");
            assertThat(text).contains("inventory_devices{trust=\"untrusted\"");
            assertThat(text).contains("inventory_devices{trust=\"high\"");
        });
    }
}
