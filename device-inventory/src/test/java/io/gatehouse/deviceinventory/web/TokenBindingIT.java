package io.gatehouse.deviceinventory.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.deviceinventory.support.Api;
import io.gatehouse.deviceinventory.support.InventoryIT;
import io.gatehouse.deviceinventory.support.InventoryTokens;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, item 7: a token is for this API only when its {@code aud} names the inventory
 * ({@code inventory.auth.audience}), and a {@code devices:report} token reports only for the device named in its
 * {@code device_id} claim; a fleet reporter (an MDM connector) needs {@code devices:report-any}.
 */
class TokenBindingIT extends InventoryIT {

    private static final String REPORT = "{\"disk_encrypted\":true,\"screen_lock\":true,\"os_version\":\"15.3\"}";

    @Test
    void requestWhenTokenHasNoAudienceThen401() {
        Map<String, Object> noAudience = new HashMap<>();
        noAudience.put("aud", null);
        String t = InventoryTokens.get().tokenWith("admin-1", "devices:read", noAudience);

        Api.Response r = api.get("/v1/devices", t);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void requestWhenTokenIsForAnotherAudienceThen401() {
        String t = InventoryTokens.get().tokenWith("admin-1", "devices:read", Map.of("aud", "payroll"));

        assertThat(api.get("/v1/devices", t).status()).isEqualTo(401);
    }

    @Test
    void reportWhenTokenBoundToAnotherDeviceThen403Problem() {
        String a = newId();
        String b = newId();
        createDevice(a, newFingerprint());
        createDevice(b, newFingerprint());

        Api.Response r = api.send("POST", "/v1/devices/" + b + "/reports", InventoryTokens.get().reporterFor(a), REPORT);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asText()).isEqualTo("device-binding-mismatch");
        assertThat(api.get("/v1/devices/" + b, admin()).json().get("report").isNull()).isTrue();
    }

    @Test
    void reportWhenTokenBoundToThisDeviceThen200() {
        String a = newId();
        createDevice(a, newFingerprint());

        Api.Response r = api.send("POST", "/v1/devices/" + a + "/reports", InventoryTokens.get().reporterFor(a), REPORT);

        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void reportWhenTokenBoundToNoDeviceThen403Problem() {
        String a = newId();
        createDevice(a, newFingerprint());

        Api.Response r = api.send("POST", "/v1/devices/" + a + "/reports", token("devices:report"), REPORT);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asText()).isEqualTo("device-binding-missing");
    }

    @Test
    void reportWhenFleetReporterThen200ForAnyDevice() {
        String a = newId();
        createDevice(a, newFingerprint());

        Api.Response r = api.send("POST", "/v1/devices/" + a + "/reports", token("devices:report-any"), REPORT);

        assertThat(r.status()).isEqualTo(200);
    }
}
